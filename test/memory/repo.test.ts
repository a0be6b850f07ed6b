import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, TooLargeError } from '../../src/core/errors.ts';
import { sha256Hex } from '../../src/core/ids.ts';
import { MAX_CONTENT_BYTES } from '../../src/memory/limits.ts';
import { apiActor, makeRepo, sessionActor, userActor, type Fixture, caught } from './helpers.ts';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeRepo();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('stores', () => {
  it('creates, gets, lists, updates a store in the SDK shape', async () => {
    const s = await fx.repo.createStore({ name: 'team notes', metadata: { b: '2', a: '1' } });
    expect(s).toMatchObject({ type: 'memory_store', name: 'team notes', description: '', metadata: { a: '1', b: '2' }, archived_at: null });
    expect(s.id).toMatch(/^memstore_/);
    expect(await fx.repo.getStore(s.id)).toEqual(s);
    const u = await fx.repo.updateStore(s.id, { description: 'what we learned', metadata: { a: null, c: '3' } });
    expect(u.description).toBe('what we learned');
    expect(u.metadata).toEqual({ b: '2', c: '3' });
    expect(u.name).toBe('team notes');
    expect(await fx.repo.listStores()).toEqual([u]);
  });

  it('validates store fields with the field named', async () => {
    expect((await caught(fx.repo.createStore({ name: '' }))).message).toMatch(/^name: must be 1 to 255 characters/);
    expect((await caught(fx.repo.createStore({ name: 'a\u0007' }))).message).toMatch(/^name: must not contain control/);
    expect((await caught(fx.repo.createStore({ name: 'x', description: 'd'.repeat(1025) }))).message).toMatch(/^description: /);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect((await caught(fx.repo.createStore({ name: 'x', metadata: many }))).message).toMatch(/^metadata: at most 16 pairs, got 17/);
    expect((await caught(fx.repo.createStore({ name: 'x', metadata: { ['k'.repeat(65)]: 'v' } }))).message).toMatch(/must be 1 to 64 characters/);
  });

  it('rejects malformed ids before they touch the filesystem and 404s unknown ones', async () => {
    const bad = await caught(fx.repo.getStore('../../etc'));
    expect(bad).toBeInstanceOf(InvalidInputError);
    expect(bad.message).toMatch(/memory_store_id: "..\/..\/etc" is not a valid memstore_/);
    expect(await caught(fx.repo.getStore('memstore_doesnotexist01'))).toBeInstanceOf(NotFoundError);
  });

  it('archive makes the store read-only for writes but keeps reads, deletes and redaction', async () => {
    const s = await fx.repo.createStore({ name: 'a' });
    const m1 = await fx.repo.createMemory(s.id, { path: '/one.md', content: 'v1' }, apiActor);
    await fx.repo.updateMemory(s.id, m1.id, { content: 'v2' }, apiActor);
    const m2 = await fx.repo.createMemory(s.id, { path: '/two.md', content: 'x' }, apiActor);
    const archived = await fx.repo.archiveStore(s.id);
    expect(archived.archived_at).not.toBeNull();
    expect(await fx.repo.archiveStore(s.id)).toEqual(archived); // idempotent

    for (const write of [
      () => fx.repo.createMemory(s.id, { path: '/new.md', content: 'x' }, apiActor),
      () => fx.repo.updateMemory(s.id, m1.id, { content: 'v3' }, apiActor),
      () => fx.repo.updateStore(s.id, { name: 'renamed' }),
      () => fx.repo.applySnapshot(s.id, [], apiActor),
    ]) {
      const e = await caught(write());
      expect(e).toBeInstanceOf(ConflictError);
      expect(e.code).toBe('store_archived');
      expect(e.status).toBe(409);
      expect(e.message).toMatch(new RegExp(`memory_store_id: ${s.id} was archived at .* and is read-only`));
    }
    expect((await fx.repo.getMemory(s.id, m1.id)).content).toBe('v2');
    expect(await fx.repo.listStores()).toEqual([]);
    expect(await fx.repo.listStores({ include_archived: true })).toHaveLength(1);
    const old = (await fx.repo.listVersions(s.id, { memory_id: m1.id, operation: 'created' }))[0]!;
    expect((await fx.repo.redactVersion(s.id, old.id, userActor)).redacted_at).not.toBeNull();
    expect(await fx.repo.deleteMemory(s.id, m2.id, {}, apiActor)).toEqual({ id: m2.id, type: 'memory_deleted' });
    expect(await fx.repo.deleteStore(s.id)).toEqual({ id: s.id, type: 'memory_store_deleted' });
    expect(await caught(fx.repo.getStore(s.id))).toBeInstanceOf(NotFoundError);
    expect(await fx.repo.listStores({ include_archived: true })).toEqual([]);
  });
});

describe('memories', () => {
  it('creates and reads a memory with hash and size; basic view hides content', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const content = 'npm ci fails with EACCES → use --cache /tmp/npm\n';
    const m = await fx.repo.createMemory(s.id, { path: '/failures/npm.md', content }, sessionActor);
    expect(m).toMatchObject({ type: 'memory', path: '/failures/npm.md', content: null, content_sha256: sha256Hex(content), content_size_bytes: Buffer.byteLength(content) });
    expect((await fx.repo.getMemory(s.id, m.id)).content).toBe(content);
    expect((await fx.repo.getMemory(s.id, m.id, { view: 'basic' })).content).toBeNull();
    expect((await fx.repo.getMemoryByPath(s.id, '/failures/npm.md')).id).toBe(m.id);
    expect(await caught(fx.repo.getMemoryByPath(s.id, '/Failures/npm.md'))).toBeInstanceOf(NotFoundError);
  });

  it('refuses content over 102,400 bytes and accepts exactly the limit', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    await fx.repo.createMemory(s.id, { path: '/max', content: 'x'.repeat(MAX_CONTENT_BYTES) }, apiActor);
    const e = await caught(fx.repo.createMemory(s.id, { path: '/over', content: 'x'.repeat(MAX_CONTENT_BYTES + 1) }, apiActor));
    expect(e).toBeInstanceOf(TooLargeError);
    expect(e.message).toBe('content: content is 102401 bytes; the limit is 102400 UTF-8 bytes');
    // Multi-byte: 34,134 × 3 bytes = 102,402 bytes although only 34,134 characters.
    expect(await caught(fx.repo.createMemory(s.id, { path: '/cjk', content: '語'.repeat(34_134) }, apiActor))).toBeInstanceOf(TooLargeError);
    expect((await caught(fx.repo.createMemory(s.id, { path: '/bad', content: 'a\ud800' }, apiActor))).message).toMatch(/unpaired surrogate/);
  });

  it('refuses a path used by another memory or overlapping one, naming the blocker', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const a = await fx.repo.createMemory(s.id, { path: '/notes', content: 'x' }, apiActor);
    const b = await fx.repo.createMemory(s.id, { path: '/deep/a.md', content: 'y' }, apiActor);
    const same = await caught(fx.repo.createMemory(s.id, { path: '/notes', content: 'z' }, apiActor));
    expect(same).toBeInstanceOf(ConflictError);
    expect(same.type).toBe('memory_path_conflict_error');
    expect(same.details).toEqual({ conflicting_memory_id: a.id, conflicting_path: '/notes' });
    const below = await caught(fx.repo.createMemory(s.id, { path: '/notes/todo.md', content: 'z' }, apiActor));
    expect(below.details).toEqual({ conflicting_memory_id: a.id, conflicting_path: '/notes' });
    expect(below.message).toBe(`path: "/notes/todo.md" is below memory ${a.id} at "/notes"`);
    const above = await caught(fx.repo.createMemory(s.id, { path: '/deep', content: 'z' }, apiActor));
    expect(above.details).toEqual({ conflicting_memory_id: b.id, conflicting_path: '/deep/a.md' });
    // Case-sensitive: a different memory.
    await fx.repo.createMemory(s.id, { path: '/Notes', content: 'ok' }, apiActor);
    // A rename into the way of another memory is refused too.
    const r = await caught(fx.repo.updateMemory(s.id, b.id, { path: '/notes' }, apiActor));
    expect(r.type).toBe('memory_path_conflict_error');
  });

  it('checks content_sha256 preconditions on update and delete', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const m = await fx.repo.createMemory(s.id, { path: '/p', content: 'one' }, apiActor);
    const stale = sha256Hex('zero');
    const e = await caught(fx.repo.updateMemory(s.id, m.id, { content: 'two', precondition: { type: 'content_sha256', content_sha256: stale } }, apiActor));
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.type).toBe('memory_precondition_failed_error');
    expect(e.status).toBe(409);
    expect(e.message).toMatch(/^precondition\.content_sha256: memory mem_\w+ no longer has content_sha256/);
    expect((await fx.repo.getMemory(s.id, m.id)).content).toBe('one');

    const ok = await fx.repo.updateMemory(s.id, m.id, { content: 'two', precondition: { type: 'content_sha256', content_sha256: sha256Hex('one') } }, apiActor);
    expect(ok.content_sha256).toBe(sha256Hex('two'));
    // Already exactly what was asked: succeeds despite the stale hash, and writes no version.
    const again = await fx.repo.updateMemory(s.id, m.id, { content: 'two', precondition: { type: 'content_sha256', content_sha256: sha256Hex('one') } }, apiActor);
    expect(again.memory_version_id).toBe(ok.memory_version_id);
    expect((await caught(fx.repo.updateMemory(s.id, m.id, { content: 'x', precondition: { type: 'content_sha256', content_sha256: 'ABC' } }, apiActor))).message).toMatch(/^precondition\.content_sha256: "ABC" is not 64 lowercase hex/);

    const d = await caught(fx.repo.deleteMemory(s.id, m.id, { expected_content_sha256: sha256Hex('one') }, apiActor));
    expect(d.type).toBe('memory_precondition_failed_error');
    expect(d.message).toMatch(/^expected_content_sha256: /);
    await fx.repo.deleteMemory(s.id, m.id, { expected_content_sha256: sha256Hex('two') }, apiActor);
    expect(await caught(fx.repo.getMemory(s.id, m.id))).toBeInstanceOf(NotFoundError);
  });

  it('lists sorted by path, by prefix, and rolls deeper folders into prefixes with depth', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    for (const p of ['/b.md', '/a/x.md', '/a/y/z.md', '/a/y/w/v.md', '/a-b.md', '/c/d.md']) {
      await fx.repo.createMemory(s.id, { path: p, content: p }, apiActor);
    }
    const all = await fx.repo.listMemories(s.id);
    expect(all.map((i) => i.path)).toEqual(['/a-b.md', '/a/x.md', '/a/y/w/v.md', '/a/y/z.md', '/b.md', '/c/d.md']);
    expect(all.every((i) => i.type === 'memory' && i.content === null)).toBe(true);
    const top = await fx.repo.listMemories(s.id, { depth: 1 });
    expect(top.map((i) => `${i.type}:${i.path}`)).toEqual(['memory:/a-b.md', 'memory_prefix:/a/', 'memory:/b.md', 'memory_prefix:/c/']);
    const inA = await fx.repo.listMemories(s.id, { path_prefix: '/a/', depth: 1 });
    expect(inA.map((i) => `${i.type}:${i.path}`)).toEqual(['memory:/a/x.md', 'memory_prefix:/a/y/']);
    const full = await fx.repo.listMemories(s.id, { path_prefix: '/a/y/', view: 'full' });
    expect(full.map((i) => (i.type === 'memory' ? i.content : null))).toEqual(['/a/y/w/v.md', '/a/y/z.md']);
    expect((await caught(fx.repo.listMemories(s.id, { path_prefix: '/a' }))).message).toMatch(/path_prefix: "\/a" must end with "\/"/);
    expect((await caught(fx.repo.listMemories(s.id, { depth: -1 }))).message).toMatch(/^depth: /);
  });
});

describe('versions', () => {
  it('records every change with operation, content, hash, path and actor; newest first', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const m = await fx.repo.createMemory(s.id, { path: '/p.md', content: 'one' }, sessionActor);
    await fx.repo.updateMemory(s.id, m.id, { content: 'two' }, apiActor);
    await fx.repo.updateMemory(s.id, m.id, { path: '/moved/p.md' }, userActor);
    await fx.repo.updateMemory(s.id, m.id, { path: '/moved/p.md', content: 'two' }, userActor); // no-op: no version
    await fx.repo.deleteMemory(s.id, m.id, {}, sessionActor);

    const vs = await fx.repo.listVersions(s.id, { view: 'full' });
    expect(vs.map((v) => [v.operation, v.path, v.content, v.content_sha256, v.content_size_bytes, v.created_by])).toEqual([
      ['deleted', '/moved/p.md', null, null, null, sessionActor],
      ['modified', '/moved/p.md', 'two', sha256Hex('two'), 3, userActor],
      ['modified', '/p.md', 'two', sha256Hex('two'), 3, apiActor],
      ['created', '/p.md', 'one', sha256Hex('one'), 3, sessionActor],
    ]);
    expect(vs.every((v) => v.memory_id === m.id && v.memory_store_id === s.id && v.type === 'memory_version' && v.redacted_at === null)).toBe(true);
    expect((await fx.repo.listVersions(s.id)).every((v) => v.content === null)).toBe(true);

    expect((await fx.repo.listVersions(s.id, { session_id: sessionActor.type === 'session_actor' ? sessionActor.session_id : '' })).map((v) => v.operation)).toEqual(['deleted', 'created']);
    expect((await fx.repo.listVersions(s.id, { api_key_id: 'apikey_test01' })).map((v) => v.operation)).toEqual(['modified']);
    expect((await fx.repo.listVersions(s.id, { operation: 'modified' }))).toHaveLength(2);
    expect(await fx.repo.listVersions(s.id, { 'created_at[gte]': '2999-01-01T00:00:00Z' })).toEqual([]);
    expect(await fx.repo.listVersions(s.id, { 'created_at[lte]': '2999-01-01T00:00:00Z' })).toHaveLength(4);
    expect((await caught(fx.repo.listVersions(s.id, { 'created_at[gte]': 'yesterday' }))).message).toMatch(/^created_at\[gte\]: "yesterday" is not an RFC 3339/);

    const created = vs[3]!;
    expect(await fx.repo.getVersion(s.id, created.id)).toEqual(created);
  });

  it('redacts a past version (content, path, hash cleared; actor recorded) but not the live one', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const m = await fx.repo.createMemory(s.id, { path: '/secret.md', content: 'token=abc' }, sessionActor);
    const live = await caught(fx.repo.redactVersion(s.id, m.memory_version_id, userActor));
    expect(live).toBeInstanceOf(ConflictError);
    expect(live.message).toMatch(/holds the current content of memory/);
    await fx.repo.updateMemory(s.id, m.id, { content: 'token=[redacted]' }, userActor);
    const r = await fx.repo.redactVersion(s.id, m.memory_version_id, userActor);
    expect(r).toMatchObject({ content: null, path: null, content_sha256: null, content_size_bytes: null, created_by: sessionActor, redacted_by: userActor, operation: 'created' });
    expect(r.redacted_at).toEqual(expect.any(String));
    expect(await fx.repo.redactVersion(s.id, m.memory_version_id, apiActor)).toEqual(r); // idempotent
    expect(await fx.repo.getVersion(s.id, m.memory_version_id)).toEqual(r);
  });

  it('refuses a malformed actor', async () => {
    const s = await fx.repo.createStore({ name: 's' });
    const e = await caught(fx.repo.createMemory(s.id, { path: '/a', content: '' }, { type: 'robot' } as never));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.message).toMatch(/^actor/);
  });
});
