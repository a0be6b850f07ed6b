import { InvalidInputError } from '../core/errors.ts';
import { ContentIdHasher } from './hash.ts';
import { isGzipFile, openContent } from './source.ts';

/**
 * First pass over a file: its session id (hash of the decompressed bytes), size, line count and
 * head, plus the refusals that need no parsing (empty, binary, not UTF-8, corrupt gzip). Cheap
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
}

/** Binary and UTF-8 checks look at this much, as the ingest contract says. */
export const CHECK_BYTES = 64 * 1024;
/** Detection looks further, so a JSONL file whose first line is long is still recognized. */
export const HEAD_BYTES = 1024 * 1024;

export async function scanFile(path: string): Promise<Scan> {
  const gzip = await isGzipFile(path);
  const hasher = new ContentIdHasher('session');
  const head: Buffer[] = [];
  let headLen = 0;
  let newlines = 0;
  let lastByte = -1;
  try {
    for await (const chunk of openContent(path, gzip)) {
      if (chunk.length === 0) continue;
      hasher.update(chunk);
      if (headLen < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headLen);
        head.push(part);
        headLen += part.length;
      }
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) newlines++;
      lastByte = chunk[chunk.length - 1]!;
    }
  } catch (e) {
    if (gzip && (e as NodeJS.ErrnoException).code?.startsWith('Z_')) {
      throw new InvalidInputError('corrupt_gzip', `not a valid gzip stream: ${(e as Error).message}`);
    }
    throw e;
  }
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
  try {
    // stream: true so a character cut at the 64 KiB boundary is not mistaken for bad UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(check, { stream: true });
  } catch {
    throw new InvalidInputError(
      'binary_file',
      `not UTF-8 text (invalid byte sequence in the first ${CHECK_BYTES} bytes)`,
    );
  }
  return {
    sessionId: hasher.digestId(),
    gzip,
    bytes: hasher.bytes,
    lineCount: newlines + (lastByte === 10 ? 0 : 1),
    head: new TextDecoder('utf-8').decode(headBuf, { stream: true }),
  };
}
