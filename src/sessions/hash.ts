import { createHash, type Hash } from 'node:crypto';
import { IdPrefix, contentId, type IdKind } from '../core/ids.ts';

/**
 * Streaming equivalent of `contentId(kind, bytes)` for one part: a 2 GB log cannot be held in
 * memory to hash it. It must stay byte-for-byte compatible with core/ids.ts (a test checks), so a
 * session's id is the same whether computed from a Buffer or a stream.
 * TODO(lead): core/ids.ts could export this (or its `encode`) so the copy below goes away.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export class ContentIdHasher {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly kind: IdKind) {}

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** The id; the hasher cannot be used afterwards. */
  digestId(): string {
    this.hash.update('\0');
    const digest = this.hash.digest();
    let body = '';
    for (let i = 0; i < 24; i++) body += ALPHABET[digest[i % digest.length]! % ALPHABET.length];
    return `${IdPrefix[this.kind]}_${body}`;
  }
}

/** Self-check used by tests and at first use: the streaming id must equal the core one. */
export function streamingIdMatchesCore(sample: Uint8Array): boolean {
  const h = new ContentIdHasher('session');
  h.update(sample);
  return h.digestId() === contentId('session', sample);
}
