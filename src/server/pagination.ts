import { InvalidInputError } from '../core/errors.ts';

/** The list envelope of the API (PageCursor / BidirectionalPageCursor in the SDK). */
export interface Page<T> {
  data: T[];
  next_page: string | null;
  prev_page: string | null;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;

interface Cursor {
  /** Index of the first item of the page. */
  o: number;
  /** Id of that item, so a page still starts at the right item after inserts or deletes. */
  id: string;
}

function encode(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decode(token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (Number.isInteger(c.o) && c.o >= 0 && typeof c.id === 'string') return c;
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('invalid_page', `page: ${JSON.stringify(token)} is not a page token this server issued`);
}

export function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new InvalidInputError('invalid_limit', `limit: must be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * One page of an already sorted and filtered list. The token names the first item of the next
 * page by id and position: the id wins when it is still there (inserts before it shift nothing),
 * the position when it is gone.
 */
export function paginate<T>(items: readonly T[], idOf: (t: T) => string, query: { limit?: unknown; page?: unknown }): Page<T> {
  const limit = parseLimit(query.limit);
  let start = 0;
  if (typeof query.page === 'string' && query.page !== '') {
    const c = decode(query.page);
    const at = items[c.o] !== undefined && idOf(items[c.o]!) === c.id ? c.o : items.findIndex((t) => idOf(t) === c.id);
    start = at >= 0 ? at : Math.min(c.o, items.length);
  }
  const data = items.slice(start, start + limit);
  const next = items[start + limit];
  const prevStart = Math.max(0, start - limit);
  return {
    data,
    next_page: next === undefined ? null : encode({ o: start + limit, id: idOf(next) }),
    prev_page: start === 0 ? null : encode({ o: prevStart, id: idOf(items[prevStart]!) }),
  };
}

/**
 * The API caps a page at 20 items when `view=full` (each item may then carry 100 KiB of
 * content); a larger `limit` is clamped rather than refused, as the SDK documents it.
 */
export const MAX_FULL_VIEW_LIMIT = 20;

export function viewLimit(raw: unknown, view: 'basic' | 'full'): number {
  const limit = parseLimit(raw);
  return view === 'full' ? Math.min(limit, MAX_FULL_VIEW_LIMIT) : limit;
}
