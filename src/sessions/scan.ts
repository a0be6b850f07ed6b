import { createHash } from 'node:crypto';
import { InvalidInputError } from '../core/errors.ts';
import { ContentIdHasher } from './hash.ts';
import { isGzipFile, openContent } from './source.ts';

/**
 * First pass over a file: its session id (hash of the decompressed bytes), size, line count and
 * head, plus the refusals that need no parsing (empty, binary, unreadable gzip). Cheap
 * enough to run before deciding whether the file was already imported.
 */
export interface Scan {
  sessionId: string;
  gzip: boolean;
  /** Decompressed size. */
  bytes: number;
  /** Lines by the core line rule: `\n` count, plus one for a final line without `\n`. */
  lineCount: number;
  /** Up to HEAD_BYTES of decoded text, for format detection. */
  head: string;
  /** False when the last byte is not `\n`: the writer may have stopped mid-line. */
  endsWithNewline: boolean;
  /** Why the content is cut short (a gzip stream that ended early), or null when whole. */
  truncated: string | null;
  /**
   * sha256 of the file's bytes as given, when those bytes are the content (not gzip): the import
   * then writes the stored copy while it parses, instead of reading the file once more to hash it.
   */
  rawSha256: string | null;
}

/** Binary and UTF-8 checks look at this much, as the ingest contract says. */
export const CHECK_BYTES = 64 * 1024;
/** Detection looks further, so a JSONL file whose first line is long is still recognized. */
export const HEAD_BYTES = 1024 * 1024;

export async function scanFile(path: string): Promise<Scan> {
  const gzip = await isGzipFile(path);
  const hasher = new ContentIdHasher('session');
  const raw = gzip ? null : createHash('sha256');
  const head: Buffer[] = [];
  let headLen = 0;
  let newlines = 0;
  let lastByte = -1;
  let truncated: string | null = null;
  for await (const chunk of openContent(path, gzip, (reason) => (truncated = reason))) {
    if (chunk.length === 0) continue;
    hasher.update(chunk);
    raw?.update(chunk);
    if (headLen < HEAD_BYTES) {
      const part = Buffer.from(chunk.subarray(0, HEAD_BYTES - headLen)); // a copy: chunks are reused
      head.push(part);
      headLen += part.length;
    }
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) newlines++;
    lastByte = chunk[chunk.length - 1]!;
  }
  if (hasher.bytes === 0 && truncated !== null)
    throw new InvalidInputError('corrupt_gzip', `not a valid gzip stream: ${truncated}`);
  if (hasher.bytes === 0)
    throw new InvalidInputError('empty_file', gzip ? 'empty file (gzip holds no data)' : 'empty file');
  const headBuf = Buffer.concat(head);
  const check = headBuf.subarray(0, CHECK_BYTES);
  const nul = check.indexOf(0);
  if (nul >= 0)
    throw new InvalidInputError(
      'binary_file',
      `binary file (NUL byte at offset ${nul}); not a transcript or log`,
    );
  // Invalid UTF-8 alone does not make a file binary (a Latin-1 log is still a log: its bad bytes
  // become U+FFFD in events, with a warning, and the original is kept); mostly garbage does.
  const decoded = new TextDecoder('utf-8').decode(check, { stream: true });
  const junk = junkShare(decoded);
  if (junk > MAX_JUNK_SHARE)
    throw new InvalidInputError(
      'binary_file',
      `binary file (${Math.round(junk * 100)}% of the first ${CHECK_BYTES} bytes are not text); not a transcript or log`,
    );
  return {
    sessionId: hasher.digestId(),
    gzip,
    bytes: hasher.bytes,
    lineCount: newlines + (lastByte === 10 ? 0 : 1),
    head: new TextDecoder('utf-8').decode(headBuf, { stream: true }),
    endsWithNewline: lastByte === 10,
    truncated,
    rawSha256: raw ? raw.digest('hex') : null,
  };
}

/** More than this share of invalid sequences and control characters in the head means binary. */
const MAX_JUNK_SHARE = 0.3;

function junkShare(text: string): number {
  if (text.length === 0) return 0;
  let junk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // U+FFFD, or a C0 control other than \b \t \n \v \f \r and ESC (ANSI colours).
    if (c === 0xfffd || (c < 0x20 && !(c >= 8 && c <= 13) && c !== 0x1b)) junk++;
  }
  return junk / text.length;
}
