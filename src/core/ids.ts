import { createHash, randomBytes } from 'node:crypto';
import { InvalidInputError } from './errors.ts';

/** Id prefixes from the API contract. */
export const IdPrefix = {
  session: 'sesn',
  event: 'sevt',
  store: 'memstore',
  memory: 'mem',
  version: 'memver',
  dream: 'drm',
  /** A quarantined memory write (src/screening); not an API object. */
  quarantine: 'qrn',
  /** A recorded review action (src/review-actions); not an API object. */
  review: 'rev',
} as const;
export type IdKind = keyof typeof IdPrefix;

// Ids become directory names, so the body is restricted to a safe alphabet and length.
const ID_BODY = /^[A-Za-z0-9]{8,64}$/;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function encode(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i % bytes.length]! % ALPHABET.length];
  return out;
}

/** A fresh random id, e.g. `drm_01abc…`. */
export function newId(kind: IdKind): string {
  return `${IdPrefix[kind]}_${encode(randomBytes(24), 24)}`;
}

/** A deterministic id derived from content: the same bytes always give the same id. */
export function contentId(kind: IdKind, ...parts: (string | Uint8Array)[]): string {
  const h = new ContentIdHasher(kind);
  for (const p of parts) h.part(p);
  return h.digestId();
}

/**
 * `contentId` fed incrementally, for content too big to hold (a 2 GB log): `update` chunks of
 * one part, `endPart` between parts; `digestId` ends the last part.
 */
export class ContentIdHasher {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly kind: IdKind) {}

  update(chunk: string | Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  }

  endPart(): void {
    this.hash.update('\0');
  }

  part(p: string | Uint8Array): void {
    this.update(p);
    this.endPart();
  }

  /** The id of everything fed so far (the last part ended); the hasher cannot be used afterwards. */
  digestId(): string {
    return `${IdPrefix[this.kind]}_${encode(this.hash.digest(), 24)}`;
  }
}

export function isId(kind: IdKind, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const prefix = `${IdPrefix[kind]}_`;
  return value.startsWith(prefix) && ID_BODY.test(value.slice(prefix.length));
}

/** Refuse anything that is not a well-formed id of this kind before it touches a path. */
export function assertId(kind: IdKind, value: unknown, field = `${kind}_id`): string {
  if (!isId(kind, value)) {
    throw new InvalidInputError(
      'invalid_id',
      `${field}: ${JSON.stringify(value)} is not a valid ${IdPrefix[kind]}_… id`,
      { field },
    );
  }
  return value;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
