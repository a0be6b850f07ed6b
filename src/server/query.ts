import { InvalidInputError } from '../core/errors.ts';

export type Query = Record<string, string | string[] | undefined>;

/** One value of a query parameter; a repeated scalar is refused rather than silently picked. */
export function str(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw new InvalidInputError('invalid_query', `query parameter ${name}: given more than once`);
  return v === undefined || v === '' ? undefined : v;
}

export function bool(q: Query, name: string): boolean | undefined {
  const v = str(q, name);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidInputError('invalid_query', `query parameter ${name}: must be true or false, got ${JSON.stringify(v)}`);
}

export function int(q: Query, name: string, min: number, max: number): number | undefined {
  const v = str(q, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidInputError('invalid_query', `query parameter ${name}: must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** The SDK sends arrays as `name[]=a&name[]=b`; accept that, `name[0]=a` and plain repeats. */
export function list(q: Query, name: string): string[] | undefined {
  const out: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    if (k === name || k === `${name}[]` || new RegExp(`^${name}\\[\\d+\\]$`).test(k)) {
      if (Array.isArray(v)) out.push(...v);
      else if (v !== undefined) out.push(v);
    }
  }
  return out.length > 0 ? out : undefined;
}

/** An RFC 3339 timestamp filter such as `created_at[gte]`; compared as ISO strings after normalizing. */
export function timestamp(q: Query, name: string): string | undefined {
  const v = str(q, name);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new InvalidInputError('invalid_query', `query parameter ${name}: not an RFC 3339 timestamp: ${JSON.stringify(v)}`);
  return new Date(t).toISOString();
}

/** Keep items whose created_at passes every bound given (gt/gte/lt/lte). */
export function createdAtFilter(q: Query): (createdAt: string) => boolean {
  const b = {
    gt: timestamp(q, 'created_at[gt]'),
    gte: timestamp(q, 'created_at[gte]'),
    lt: timestamp(q, 'created_at[lt]'),
    lte: timestamp(q, 'created_at[lte]'),
  };
  return (createdAt) => {
    const t = new Date(Date.parse(createdAt)).toISOString();
    return (!b.gt || t > b.gt) && (!b.gte || t >= b.gte) && (!b.lt || t < b.lt) && (!b.lte || t <= b.lte);
  };
}
