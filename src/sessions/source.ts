import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Read size for every stream here: big enough that a 2 GB log is not a million tiny reads. */
export const CHUNK_BYTES = 1 << 20;

/** gzip is recognized by its magic bytes, never by the file name. */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * The file's content as a stream of chunks, decompressed when gzip. Breaking out of the
 * iteration early closes the file.
 *
 * A gzip stream that ends early or turns corrupt part-way (a log copied while it was being
 * written, a download cut off) throws, unless `onBroken` is given: then the stream ends after
 * the last good bytes and `onBroken` is told why. The cut is deterministic (zlib emits the same
 * bytes for the same input), so the scan and the parse pass see the same content.
 */
export function openContent(
  path: string,
  gzip: boolean,
  onBroken?: (reason: string, goodBytes: number) => void,
): AsyncIterable<Buffer> {
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  if (!gzip) return raw;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // pipeline forwards a read error into gunzip so the consumer's loop throws instead of hanging.
  pipeline(raw, gunzip, (err) => {
    if (err && !gunzip.destroyed) gunzip.destroy(err);
  });
  return onBroken ? tolerant(gunzip, onBroken) : gunzip;
}

/** zlib's codes for a stream that ended early (Z_BUF_ERROR) or holds bad data. */
export function isZlibError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException | null)?.code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('Z_');
}

export function brokenGzipReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'Z_BUF_ERROR'
    ? 'gzip stream ended early'
    : `gzip stream corrupt part-way (${(e as Error).message})`;
}

async function* tolerant(
  chunks: AsyncIterable<Buffer>,
  onBroken: (reason: string, goodBytes: number) => void,
): AsyncGenerator<Buffer> {
  let bytes = 0;
  try {
    for await (const chunk of chunks) {
      bytes += chunk.length;
      yield chunk;
    }
  } catch (e) {
    if (!isZlibError(e)) throw e;
    onBroken(bytes === 0 ? (e as Error).message : brokenGzipReason(e), bytes);
  }
}

/** Wraps a chunk stream, letting an observer see every chunk (hashing, byte counts) on the way. */
export async function* tap(
  chunks: AsyncIterable<Buffer>,
  observe: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    observe(chunk);
    yield chunk;
  }
}
