import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { RootPaths } from '../../src/core/root.ts';
import { sha256Hex } from '../../src/core/ids.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import type { Actor } from '../../src/memory/schema.ts';
import type { DreamworkError } from '../../src/core/errors.ts';

export const apiActor: Actor = { type: 'api_actor', api_key_id: 'apikey_test01' };
export const sessionActor: Actor = { type: 'session_actor', session_id: 'sesn_abcdefgh1234' };
export const userActor: Actor = { type: 'user_actor', user_id: 'user_alice' };

export interface Fixture {
  root: string;
  paths: RootPaths;
  repo: MemoryStoreRepo;
  cleanup: () => Promise<void>;
}

export async function makeRepo(): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'dreamwork-memory-'));
  const paths = new RootPaths(root);
  return { root, paths, repo: new MemoryStoreRepo(paths), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Every regular file under dir → its content, keyed by `/`-separated relative path. */
export async function readTreeFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.isDirectory()) continue;
    const full = join(e.parentPath, e.name);
    out.set('/' + relative(dir, full).split(sep).join('/'), await readFile(full, 'utf8'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** sha256 of every file under dir, sorted: a fingerprint that changes if any byte does. */
export async function fingerprint(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const full = join(e.parentPath, e.name);
    const rel = relative(dir, full);
    out.push(e.isDirectory() ? `${rel}/` : `${rel} ${sha256Hex(await readFile(full))}`);
  }
  return out.sort();
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function caught(p: Promise<unknown>): Promise<DreamworkError> {
  try {
    await p;
  } catch (e) {
    return e as DreamworkError;
  }
  throw new Error('expected a rejection');
}
