/**
 * Reusable 1 MiB I/O buffers, one free list per thread (each worker thread loads its own copy of
 * this module).
 *
 * Why not a fresh buffer per chunk: a 1 MiB allocation is its own mmap, so every chunk costs 256
 * page faults to touch and a munmap (with a TLB flush on every core the process runs on) to free.
 * Importing 1 GB that way made 1.2 million page faults; two threads doing it at once contend in
 * the kernel (and, in a VM, in the hypervisor), so the work stopped scaling with threads.
 */
import type { FileHandle } from 'node:fs/promises';

export const IO_BUFFER_BYTES = 1 << 20;

/** Enough for a writer and a double-buffered reader per task, with slack for nested reads. */
const MAX_FREE = 8;
const free: Buffer[] = [];

export function takeIoBuffer(): Buffer {
  return free.pop() ?? Buffer.allocUnsafeSlow(IO_BUFFER_BYTES);
}

/** Hands a buffer back for reuse; its holder must not touch it afterwards. */
export function giveIoBuffer(buf: Buffer): void {
  if (buf.length === IO_BUFFER_BYTES && free.length < MAX_FREE && !free.includes(buf)) free.push(buf);
}

/** Writes `length` bytes of `buf` (all of it by default), however many calls the kernel needs. */
export async function writeAll(fh: FileHandle, buf: Buffer, length = buf.length): Promise<void> {
  for (let done = 0; done < length; ) done += (await fh.write(buf, done, length - done)).bytesWritten;
}
