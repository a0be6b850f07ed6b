import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nowIso } from '../../src/core/clock.ts';
import type { DreamworkError } from '../../src/core/errors.ts';
import { withStoreLock } from '../../src/memory/lock.ts';
import { Planner } from '../../src/memory/planner.ts';
import { StoreFiles } from '../../src/memory/store-files.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { apiActor, makeRepo, readTreeFiles, type Fixture } from './helpers.ts';

const run = promisify(execFile);
let fx: Fixture;
beforeEach(async () => {
  fx = await makeRepo();
});
afterEach(async () => {
  await fx.cleanup();
});

/** A pid that certainly belongs to no running process: one that just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('one process', () => {
  it('serializes parallel writes: no lost update, one winner per path, dense version sequence', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const other = new MemoryStoreRepo(fx.paths); // a second repo on the same root shares the lock
    const writes = Array.from({ length: 40 }, (_, i) => (i % 2 ? fx.repo : other).createMemory(s.id, { path: `/m/${i}.md`, content: `${i}` }, apiActor));
    const samePath = Array.from({ length: 5 }, () => fx.repo.createMemory(s.id, { path: '/contested.md', content: 'x' }, apiActor));
    // Settle both groups together: a rejection must not sit unobserved while the writes run.
    const [, results] = await Promise.all([Promise.all(writes), Promise.allSettled(samePath)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as DreamworkError).type)).toEqual(Array(4).fill('memory_path_conflict_error'));
    expect(await fx.repo.listMemories(s.id)).toHaveLength(41);
    const files = new StoreFiles(fx.paths, s.id);
    const seqs = (await files.readAllVersions()).map((v) => v.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(await readdir(files.dir)).not.toContain('write.lock');
  });
});

describe('lock file', () => {
  it('times out with a clear error while a live process holds the lock', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const dir = fx.paths.store(s.id);
    await writeFile(join(dir, 'write.lock'), JSON.stringify({ pid: process.pid, thread_id: 99, hostname: (await import('node:os')).hostname(), acquired_at: nowIso(), token: 'someone-else' }));
    let err: DreamworkError | undefined;
    await withStoreLock(dir, async () => 1, { timeoutMs: 100 }).catch((e: DreamworkError) => (err = e));
    expect(err?.code).toBe('store_locked');
    expect(err?.message).toMatch(new RegExp(`write\\.lock: store is locked by pid ${process.pid} on .* gave up after 100 ms`));
  });

  it('breaks a stale lock of a dead writer, finishes its journaled write and repairs the tree', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    await fx.repo.createMemory(s.id, { path: '/kept.md', content: 'kept' }, apiActor);
    const files = new StoreFiles(fx.paths, s.id);
    // Simulate a writer killed after journaling a create but before applying it.
    const planner = new Planner(await files.readStore(), await files.readAllMemories(), (await files.versionIds()).length, apiActor, nowIso());
    planner.create('/crashed.md', 'written by the dead writer');
    await writeFile(files.journal, JSON.stringify({ changes: planner.changes }));
    await writeFile(join(files.dir, 'write.lock'), JSON.stringify({ pid: await deadPid(), thread_id: 0, hostname: (await import('node:os')).hostname(), acquired_at: nowIso(), token: 'dead' }));
    await writeFile(join(files.dir, 'tree', 'debris.tmp'), 'left by the crash');

    await fx.repo.createMemory(s.id, { path: '/after.md', content: 'after' }, apiActor);
    expect((await fx.repo.snapshot(s.id)).map((e) => e.path)).toEqual(['/after.md', '/crashed.md', '/kept.md']);
    expect([...(await readTreeFiles(join(files.dir, 'tree'))).keys()]).toEqual(['/after.md', '/crashed.md', '/kept.md']);
    expect((await readdir(files.dir)).sort()).toEqual(['memories', 'store.json', 'tree', 'versions']);
    expect((await files.readAllVersions()).map((v) => v.seq).sort()).toEqual([1, 2, 3]);
  });
});

describe('several processes', () => {
  it('serialize through the lock file: every write lands, none is lost', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    await fx.repo.createMemory(s.id, { path: '/shared.md', content: '' }, apiActor);
    const script = join(import.meta.dirname, '..', 'fixtures', 'memory', 'writer.ts');
    const n = 15;
    await Promise.all(['p1', 'p2', 'p3'].map((tag) => run(process.execPath, ['--import', 'tsx', script, fx.root, s.id, tag, String(n)])));
    const snap = await fx.repo.snapshot(s.id);
    expect(snap).toHaveLength(1 + 3 * n);
    const shared = snap.find((e) => e.path === '/shared.md')!.content.split('\n').filter(Boolean);
    expect(shared.sort()).toEqual(['p1', 'p2', 'p3'].flatMap((t) => Array.from({ length: n }, (_, i) => `${t}${i}`)).sort());
    const versions = await new StoreFiles(fx.paths, s.id).readAllVersions();
    expect(versions.map((v) => v.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 1 + 6 * n }, (_, i) => i + 1));
    expect(await readTreeFiles(join(fx.paths.store(s.id), 'tree'))).toEqual(new Map(snap.map((e) => [e.path, e.content])));
    expect(JSON.parse(await readFile(join(fx.paths.store(s.id), 'store.json'), 'utf8')).id).toBe(s.id);
  }, 60_000);
});
