import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic.ts';
import { InvalidInputError } from '../core/errors.ts';
import { pathSegments } from './paths.ts';
import type { StoreSnapshot } from './snapshot.ts';

/**
 * Write a snapshot as a plain file tree (`/a/b.md` → <dir>/a/b.md). The target must be missing
 * or empty: overwriting files we did not write could lose someone's work, and merging into an
 * old export would leave files of deleted memories behind. Paths were validated when the
 * memories were written, so none can escape `dir`.
 */
export async function exportSnapshot(snapshot: StoreSnapshot, dir: string): Promise<{ dir: string; files: string[] }> {
  const target = resolve(dir);
  let existing: string[] = [];
  try {
    existing = await readdir(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing.length > 0) {
    throw new InvalidInputError('export_dir_not_empty', `${target}: directory is not empty (${existing.length} entries); export needs a new or empty directory`, { dir: target });
  }
  await mkdir(target, { recursive: true });
  for (const { path, content } of snapshot) await writeFileAtomic(join(target, ...pathSegments(path)), content);
  return { dir: target, files: snapshot.map((e) => e.path) };
}
