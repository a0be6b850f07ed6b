import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError } from '../../src/core/errors.ts';
import { MAX_MEMORIES_PER_STORE } from '../../src/memory/limits.ts';
import type { StoreSnapshot } from '../../src/memory/snapshot.ts';
import { apiActor, fingerprint, makeRepo, readTreeFiles, sessionActor, type Fixture, caught } from './helpers.ts';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeRepo();
});
afterEach(async () => {
  await fx.cleanup();
});

const base: StoreSnapshot = [
  { path: '/README.md', content: '# Store\n' },
  { path: '/facts/node.md', content: 'Node 20\n' },
  { path: '/failures/eacces.md', content: 'npm EACCES → --cache\n' },
  { path: '/old/flaky.md', content: 'test X is flaky\n' },
];

describe('applySnapshot', () => {
  it('creates, then changes only what differs, detecting moves as renames', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    expect(await fx.repo.applySnapshot(s.id, base, apiActor)).toEqual({
      created: ['/README.md', '/facts/node.md', '/failures/eacces.md', '/old/flaky.md'],
      modified: [],
      deleted: [],
      renamed: [],
    });
    const flaky = await fx.repo.getMemoryByPath(s.id, '/old/flaky.md');
    const before = await fx.repo.listVersions(s.id);

    const target: StoreSnapshot = [
      { path: '/README.md', content: '# Store\n' }, // unchanged
      { path: '/facts/node.md', content: 'Node 22\n' }, // modified
      { path: '/insights/flaky.md', content: 'test X is flaky\n' }, // moved
      { path: '/preferences/style.md', content: 'tabs\n' }, // created
      // /failures/eacces.md deleted
    ];
    const r = await fx.repo.applySnapshot(s.id, target, sessionActor);
    expect(r).toEqual({
      created: ['/preferences/style.md'],
      modified: ['/facts/node.md', '/insights/flaky.md'],
      deleted: ['/failures/eacces.md'],
      renamed: [{ from: '/old/flaky.md', to: '/insights/flaky.md' }],
    });
    const after = await fx.repo.listVersions(s.id);
    const added = after.slice(0, after.length - before.length);
    expect(added.map((v) => `${v.operation} ${v.path}`).sort()).toEqual([
      'created /preferences/style.md',
      'deleted /failures/eacces.md',
      'modified /facts/node.md',
      'modified /insights/flaky.md',
    ]);
    expect(added.every((v) => v.created_by?.type === 'session_actor')).toBe(true);
    // The move kept the memory's id and history.
    expect((await fx.repo.getMemoryByPath(s.id, '/insights/flaky.md')).id).toBe(flaky.id);
    expect(await fx.repo.snapshot(s.id)).toEqual(target);
    // Applying the same target again writes nothing.
    expect(await fx.repo.applySnapshot(s.id, target, apiActor)).toEqual({ created: [], modified: [], deleted: [], renamed: [] });
    expect(await fx.repo.listVersions(s.id)).toHaveLength(after.length);
  });

  it('handles a file becoming a folder and back within one snapshot', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    await fx.repo.applySnapshot(s.id, [{ path: '/notes', content: 'flat' }], apiActor);
    await fx.repo.applySnapshot(s.id, [{ path: '/notes/a.md', content: 'nested' }], apiActor);
    expect(await readTreeFiles(join(fx.paths.store(s.id), 'tree'))).toEqual(new Map([['/notes/a.md', 'nested']]));
    await fx.repo.applySnapshot(s.id, [{ path: '/notes', content: 'nested' }], apiActor); // a move up
    expect(await readTreeFiles(join(fx.paths.store(s.id), 'tree'))).toEqual(new Map([['/notes', 'nested']]));
  });

  it('validates the whole target before writing anything', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    await fx.repo.applySnapshot(s.id, base, apiActor);
    const fp = await fingerprint(fx.paths.store(s.id));
    const cases: [unknown, RegExp][] = [
      [[{ path: '/ok', content: 'x' }, { path: '/a/../b', content: 'x' }], /^target\[1\]\.path: "\/a\/\.\.\/b" has a "\.\." segment/],
      [[{ path: '/ok', content: 'x'.repeat(102_401) }], /^target\[0\]\.content: content is 102401 bytes/],
      [[{ path: '/dup', content: 'x' }, { path: '/dup', content: 'y' }], /^target: path "\/dup" appears twice/],
      [[{ path: '/a', content: 'x' }, { path: '/a/b', content: 'y' }], /^target: "\/a" is a folder of "\/a\/b"/],
      [[{ path: '/a' }], /^target\[0\]\.content: expected a string, got undefined/],
      ['nope', /^target: expected an array/],
    ];
    for (const [target, message] of cases) {
      const e = await caught(fx.repo.applySnapshot(s.id, target as StoreSnapshot, apiActor));
      expect(e.message).toMatch(message);
    }
    expect(await fingerprint(fx.paths.store(s.id))).toEqual(fp);
  });

  it('enforces 2,000 memories per store: the 2,001st is refused', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const full = Array.from({ length: MAX_MEMORIES_PER_STORE }, (_, i) => ({ path: `/m/${String(i).padStart(4, '0')}.md`, content: `${i}` }));
    const tooMany = [...full, { path: '/one-more.md', content: 'x' }];
    const e = await caught(fx.repo.applySnapshot(s.id, tooMany, apiActor));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.message).toBe('target: 2001 memories; a store holds at most 2000');
    await fx.repo.applySnapshot(s.id, full, apiActor);
    const c = await caught(fx.repo.createMemory(s.id, { path: '/one-more.md', content: 'x' }, apiActor));
    expect(c).toBeInstanceOf(ConflictError);
    expect(c.code).toBe('memory_limit_exceeded');
    expect(c.message).toMatch(/already holds 2000 memories; the limit is 2000/);
    expect((await readdir(join(fx.paths.store(s.id), 'memories'))).length).toBe(MAX_MEMORIES_PER_STORE);
  });
});

describe('tree mirror', () => {
  it('always equals the live memories, through create, rename, modify and delete', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const tree = join(fx.paths.store(s.id), 'tree');
    const expectMirror = async (): Promise<void> => {
      const snap = await fx.repo.snapshot(s.id);
      expect(await readTreeFiles(tree)).toEqual(new Map(snap.map((e) => [e.path, e.content])));
    };
    const a = await fx.repo.createMemory(s.id, { path: '/a/b/c.md', content: 'one\r\nlone\rcr\n' }, apiActor);
    const b = await fx.repo.createMemory(s.id, { path: '/x.md', content: '' }, apiActor);
    await expectMirror();
    await fx.repo.updateMemory(s.id, a.id, { path: '/d/e.md', content: 'two' }, apiActor);
    await expectMirror();
    // Emptied folders are pruned, tree/ itself stays.
    expect(await readdir(tree)).toEqual(['d', 'x.md']);
    await fx.repo.deleteMemory(s.id, a.id, {}, apiActor);
    await fx.repo.deleteMemory(s.id, b.id, {}, apiActor);
    await expectMirror();
    expect(await readdir(tree)).toEqual([]);
  });

  it('repairTree rebuilds a damaged mirror from the memory records', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    await fx.repo.applySnapshot(s.id, base, apiActor);
    const tree = join(fx.paths.store(s.id), 'tree');
    await writeFile(join(tree, 'README.md'), 'tampered');
    await writeFile(join(tree, 'stray.txt'), 'not a memory');
    await mkdir(join(tree, 'empty', 'dir'), { recursive: true });
    expect(await fx.repo.repairTree(s.id)).toBe(2);
    expect(await readTreeFiles(tree)).toEqual(new Map(base.map((e) => [e.path, e.content])));
  });
});

describe('copyStore and exportTree', () => {
  it('copies the memories into a new store and leaves the source byte-identical', async () => {
    const src = await fx.repo.createStore({ name: 'input', description: 'in' });
    await fx.repo.applySnapshot(src.id, base, apiActor);
    const fp = await fingerprint(fx.paths.store(src.id));
    const copy = await fx.repo.copyStore(src.id, { name: 'output' }, sessionActor);
    expect(copy.id).not.toBe(src.id);
    expect(copy.name).toBe('output');
    expect(await fx.repo.snapshot(copy.id)).toEqual(await fx.repo.snapshot(src.id));
    const versions = await fx.repo.listVersions(copy.id);
    expect(versions.map((v) => v.operation)).toEqual(['created', 'created', 'created', 'created']);
    expect(versions.every((v) => v.created_by?.type === 'session_actor')).toBe(true);
    // Writing to the copy never reaches the source.
    await fx.repo.applySnapshot(copy.id, [{ path: '/new.md', content: 'n' }], sessionActor);
    expect(await fingerprint(fx.paths.store(src.id))).toEqual(fp);
  });

  it('exports a plain file tree and refuses a non-empty directory', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    await fx.repo.applySnapshot(s.id, base, apiActor);
    const dir = join(fx.root, 'export');
    const r = await fx.repo.exportTree(s.id, dir);
    expect(r.files).toEqual(base.map((e) => e.path));
    expect(await readTreeFiles(dir)).toEqual(new Map(base.map((e) => [e.path, e.content])));
    // The export and the store's own tree/ mirror are the same file tree, as `diff -r` sees it.
    await promisify(execFile)('diff', ['-r', dir, join(fx.paths.store(s.id), 'tree')]);
    const e = await caught(fx.repo.exportTree(s.id, dir));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.message).toMatch(/export: directory is not empty \(4 entries\)/);
  });
});
