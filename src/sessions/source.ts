import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IO_BUFFER_BYTES, giveIoBuffer, takeIoBuffer, writeAll } from '../core/io-buffers.ts';

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
 * A plain file's bytes in two reused buffers (core/io-buffers.ts), the next read already under
 * way while the caller works on this chunk. **A chunk is valid only until the caller asks for
 * the next one**: this is for consumers that hash, decode or write each chunk as it comes, and
 * copy whatever they keep. Breaking out of the iteration early closes the file.
 */
export async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  const bufs = [takeIoBuffer(), takeIoBuffer()] as const;
  let pending: Promise<{ bytesRead: number }> | null = null;
  try {
    let i = 0;
    pending = fh.read(bufs[0], 0, IO_BUFFER_BYTES, null);
    for (;;) {
      const { bytesRead } = await pending;
      pending = null;
      if (bytesRead === 0) break;
      const chunk = bufs[i]!.subarray(0, bytesRead);
      i ^= 1;
      pending = fh.read(bufs[i]!, 0, IO_BUFFER_BYTES, null);
      yield chunk;
    }
  } finally {
    // A read still filling a buffer must land before the buffer is handed to anyone else.
    await pending?.catch(() => {});
    await fh.close();
    giveIoBuffer(bufs[0]);
    giveIoBuffer(bufs[1]);
  }
}

/**
 * The file's content as a stream of chunks, decompressed when gzip. Breaking out of the
 * iteration early closes the file. As with `fileChunks`, a chunk is valid only until the next
 * one is asked for.
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
  if (!gzip) return fileChunks(path);
  // zlib works on its input off the thread, so it gets buffers of its own, never reused ones.
  const raw = createReadStream(path, { highWaterMark: IO_BUFFER_BYTES });
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

/**
 * Wraps a chunk stream, letting an observer see every chunk (hashing, byte counts) on the way,
 * and, given `copyTo`, writing every chunk there too: the write of a chunk runs while the
 * consumer works on it, and lands before the next chunk is read (into a reused buffer).
 */
export async function* tap(
  chunks: AsyncIterable<Buffer>,
  observe: (chunk: Buffer) => void,
  copyTo?: FileHandle,
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    observe(chunk);
    if (!copyTo) {
      yield chunk;
      continue;
    }
    const written = writeAll(copyTo, chunk);
    try {
      yield chunk;
    } finally {
      await written; // also when the consumer stops early: the buffer goes back only after
    }
  }
}
