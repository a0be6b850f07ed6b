import { isUtf8 } from 'node:buffer';

/**
 * Strict streaming UTF-8 decoding with the results of `new TextDecoder('utf-8', { fatal: true })`
 * (a leading BOM dropped, a sequence split across chunks joined, any invalid byte refused), but
 * through Buffer#toString.
 *
 * Why not TextDecoder: on Node 20 it decodes through ICU into a UTF-16 buffer and always returns a
 * two-byte string, so a 1 MiB chunk of ASCII log became a freshly allocated 2 MiB buffer and a
 * 2 MiB string, and every line, join and regex after it worked on twice the bytes. Buffer#toString
 * makes a one-byte string when the text allows it. Decoding was most of an import's page faults.
 */
export class Utf8Stream {
  /** Bytes not yet decoded: the start of a sequence cut by a chunk's end, or a possible BOM. */
  private pending: Buffer = EMPTY;
  private atStart = true;

  /**
   * The text of `chunk` (with what was pending), or null when the bytes are not valid UTF-8; then
   * `undecoded` holds everything not yet returned, for a lenient decoder to take over. With no
   * chunk: the end of the stream (a sequence left incomplete is invalid).
   */
  decode(chunk?: Buffer): string | null {
    if (chunk === undefined) return this.pending.length === 0 ? '' : null;
    const before = this.pending;
    this.pending = EMPTY;
    if (this.atStart) {
      let bytes = before.length > 0 ? Buffer.concat([before, chunk]) : chunk;
      if (bytes.length < BOM.length && BOM.subarray(0, bytes.length).equals(bytes)) {
        this.pending = Buffer.from(bytes);
        return '';
      }
      this.atStart = false;
      if (bytes.subarray(0, BOM.length).equals(BOM)) bytes = bytes.subarray(BOM.length);
      return this.whole(bytes) ?? this.refuse(bytes);
    }
    if (before.length === 0) return this.whole(chunk) ?? this.refuse(chunk);
    // Finish the sequence the last chunk cut, without copying this whole chunk behind it.
    const need = sequenceLength(before[0]!);
    const seq = Buffer.concat([before, chunk.subarray(0, need - before.length)]);
    if (seq.length < need) {
      this.pending = seq;
      return '';
    }
    const rest = isUtf8(seq) ? this.whole(chunk.subarray(need - before.length)) : null;
    return rest === null ? this.refuse(Buffer.concat([before, chunk])) : seq.toString('utf8') + rest;
  }

  /** What a lenient decoder must decode next, after `decode` returned null. */
  get undecoded(): Buffer {
    return this.pending;
  }

  /**
   * The text of `bytes` but for a trailing sequence more bytes could complete (kept as pending),
   * or null when they are not valid UTF-8.
   */
  private whole(bytes: Buffer): string | null {
    const cut = completeLength(bytes);
    const complete = bytes.subarray(0, cut);
    if (!isUtf8(complete)) return null;
    if (cut < bytes.length) this.pending = Buffer.from(bytes.subarray(cut)); // a copy: chunks are reused
    return complete.toString('utf8');
  }

  /** Keeps a copy of every byte not yet returned (the caller's chunk may be reused) and says no. */
  private refuse(undecoded: Buffer): null {
    this.pending = Buffer.from(undecoded);
    return null;
  }
}

const EMPTY = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Bytes in the sequence a lead byte starts (1 for a byte that cannot lead: validation refuses it). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** Length of `b` without a trailing sequence that more bytes could still complete. */
function completeLength(b: Buffer): number {
  const n = b.length;
  let i = n - 1;
  // Back over at most 3 continuation bytes to the byte that leads them.
  while (i >= 0 && n - i <= 3 && (b[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return n;
  const lead = b[i]!;
  return sequenceLength(lead) > n - i ? i : n;
}
