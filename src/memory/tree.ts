import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join, relative, sep, dirname } from 'node:path';
import { writeFileAtomic } from '../core/atomic.ts';
import { pathSegments } from './paths.ts';

/**
 * `tree/` mirrors the live content of every memory as a plain file (`/a/b.md` → tree/a/b.md)
 * so `grep -r` and `diff -r` work on a store. It is derived data: memories/ is the truth, and
 * `syncTree` rebuilds the mirror after a crash left it behind.
 */

export function treeDir(storeDir: string): string {
  return join(storeDir, 'tree');
}

/** Only called with validated paths: no empty, `.` or `..` segment can escape `tree/`. */
export function treeFile(storeDir: string, path: string): string {
  return join(treeDir(storeDir), ...pathSegments(path));
}

export async function writeTreeFile(storeDir: string, path: string, content: string): Promise<void> {
  await writeFileAtomic(treeFile(storeDir, path), content);
}

export async function removeTreeFile(storeDir: string, path: string): Promise<void> {
  const file = treeFile(storeDir, path);
  await rm(file, { force: true });
  await pruneEmptyDirs(treeDir(storeDir), dirname(file));
}

/** Remove `dir` and its parents while they are empty, stopping at (and keeping) `root`. */
async function pruneEmptyDirs(root: string, dir: string): Promise<void> {
  let d = dir;
  while (d !== root && d.startsWith(root + sep)) {
    try {
      await rmdir(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return;
      if (code !== 'ENOENT') throw e;
    }
    d = dirname(d);
  }
}

/** Every regular file under `tree/`, as memory paths (`/a/b.md`). */
async function listTreeFiles(storeDir: string): Promise<string[]> {
  const root = treeDir(storeDir);
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => '/' + relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
}

/**
 * Make tree/ equal to `live` (path → content): rewrite files that differ, remove files no
 * memory owns (including temp files of an interrupted write), prune empty folders.
 * Returns how many files were touched.
 */
export async function syncTree(storeDir: string, live: ReadonlyMap<string, string>): Promise<number> {
  let touched = 0;
  const existing = await listTreeFiles(storeDir);
  for (const p of existing) {
    if (!live.has(p)) {
      await removeTreeFile(storeDir, p);
      touched++;
    }
  }
  for (const [p, content] of live) {
    let current: string | undefined;
    try {
      current = await readFile(treeFile(storeDir, p), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== content) {
      // A folder squatting on a file's name (left by a half-applied rename) must go first.
      await rm(treeFile(storeDir, p), { recursive: true, force: true });
      await writeTreeFile(storeDir, p, content);
      touched++;
    }
  }
  return touched;
}
