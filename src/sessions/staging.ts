import { createHash, randomBytes } from 'node:crypto';
import { isAlive } from '../core/lock.ts';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RootPaths } from '../core/root.ts';
import { fileChunks, tap } from './source.ts';

/**
 * The staging area of an import: a dot-folder beside the sessions, renamed into place when the
 * session is complete. Folders left by a killed import are swept by the next one.
 */
const TMP_PREFIX = '.import-';

export async function makeStagingDir(paths: RootPaths): Promise<string> {
  const dir = join(paths.sessionsDir, `${TMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(dir);
  return dir;
}

/** Byte-exact copy of the given file, hashing as it goes (sha256 of the bytes as given). */
export async function copyWithHash(src: string, dest: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const out = await open(dest, 'w', 0o644);
  try {
    const chunks = tap(
      fileChunks(src),
      (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      },
      out,
    );
    for await (const _ of chunks); // tap hashes and writes each chunk
    await out.sync();
  } finally {
    await out.close();
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Removes temp folders of imports whose process is gone (killed mid-import). */
export async function sweepAbandonedImports(paths: RootPaths): Promise<void> {
  const entries = await readdir(paths.sessionsDir).catch(() => [] as string[]);
  for (const name of entries) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const pid = Number(name.slice(TMP_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(join(paths.sessionsDir, name), { recursive: true, force: true });
  }
}
