import Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsMemory, BetaManagedAgentsMemoryListItem } from '@anthropic-ai/sdk/resources/beta/memory-stores/memories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { keyId } from '../../src/server/auth.ts';
import { sha256Hex } from '../../src/core/ids.ts';
import { apiFailure, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.ts';



/** `error.error` of the API body: `{type, message, code, …}`. */
function apiError(e: InstanceType<typeof Anthropic.APIError>): Record<string, unknown> {
  return (e.error as { error: Record<string, unknown> }).error;
}

describe('dream serve: memories through the official SDK', () => {
  let t: TestServer;
  let store: string;
  let mem: BetaManagedAgentsMemory;
  beforeAll(async () => {
    t = await startTestServer();
    store = (await t.client.beta.memoryStores.create({ name: 'memories test' })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates (basic view by default), retrieves (full by default), updates and deletes a memory', async () => {
    const m = t.client.beta.memoryStores.memories;
    mem = await m.create(store, { path: '/facts/node.md', content: 'Node 20 is required.' });
    expect(mem).toMatchObject({
      type: 'memory',
      memory_store_id: store,
      path: '/facts/node.md',
      content: null,
      content_sha256: sha256Hex('Node 20 is required.'),
      content_size_bytes: 20,
    });
    expect(mem.id).toMatch(/^mem_/);
    expect(mem.memory_version_id).toMatch(/^memver_/);

    const full = await m.retrieve(mem.id, { memory_store_id: store });
    expect(full).toEqual({ ...mem, content: 'Node 20 is required.' });
    expect((await m.retrieve(mem.id, { memory_store_id: store, view: 'basic' })).content).toBeNull();

    const withContent = await m.create(store, { path: '/facts/é-ünïcode.md', content: 'naïve ✓', view: 'full' });
    expect(withContent.content).toBe('naïve ✓');
    expect(withContent.content_size_bytes).toBe(Buffer.byteLength('naïve ✓'));

    const renamed = await m.update(mem.id, { memory_store_id: store, path: '/facts/runtime.md', view: 'full' });
    expect(renamed).toMatchObject({ id: mem.id, path: '/facts/runtime.md', content: 'Node 20 is required.' });
    expect(renamed.memory_version_id).not.toBe(mem.memory_version_id);
    const rewritten = await m.update(mem.id, { memory_store_id: store, content: 'Node 22 is required.' });
    expect(rewritten).toMatchObject({ path: '/facts/runtime.md', content: null, content_sha256: sha256Hex('Node 22 is required.') });

    // null content on create is an empty memory (the SDK types it string | null).
    const empty = await m.create(store, { path: '/empty.md', content: null, view: 'full' });
    expect(empty).toMatchObject({ content: '', content_size_bytes: 0, content_sha256: sha256Hex('') });

    expect(await m.delete(empty.id, { memory_store_id: store })).toEqual({ id: empty.id, type: 'memory_deleted' });
    expect((await apiFailure(m.retrieve(empty.id, { memory_store_id: store })))).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('attributes every write to the API key that made it', async () => {
    const versions = [];
    for await (const v of t.client.beta.memoryStores.memoryVersions.list(store, { memory_id: mem.id })) versions.push(v);
    expect(versions.map((v) => v.operation)).toEqual(['modified', 'modified', 'created']);
    for (const v of versions) expect(v.created_by).toEqual({ type: 'api_actor', api_key_id: keyId(TEST_KEY) });
  });

  it('lists with path_prefix and depth, rolling deeper memories into prefixes, across many pages', async () => {
    const s = (await t.client.beta.memoryStores.create({ name: 'listing' })).id;
    const m = t.client.beta.memoryStores.memories;
    const paths: string[] = [];
    for (let i = 0; i < 25; i++) paths.push(`/notes/n${String(i).padStart(2, '0')}.md`);
    paths.push('/notes/deep/a.md', '/notes/deep/b.md', '/notes/deeper/x/y.md', '/notes-archive/old.md', '/top.md');
    for (const p of paths) await m.create(s, { path: p, content: `content of ${p}` });

    // Whole store, auto-paginated 4 at a time: every memory once, sorted by path.
    const all: string[] = [];
    for await (const item of m.list(s, { limit: 4 })) all.push(item.path);
    expect(all).toEqual([...paths].sort());

    // The prefix matches whole segments: /notes/ does not match /notes-archive/.
    const under: string[] = [];
    for await (const item of m.list(s, { path_prefix: '/notes/', limit: 7 })) under.push(item.path);
    expect(under).toHaveLength(28);
    expect(under).not.toContain('/notes-archive/old.md');

    // depth 1: direct children, deeper ones rolled up into memory_prefix items (once each).
    const shallow: BetaManagedAgentsMemoryListItem[] = [];
    for await (const item of m.list(s, { path_prefix: '/notes/', depth: 1, limit: 10 })) shallow.push(item);
    const prefixes = shallow.filter((i) => i.type === 'memory_prefix').map((i) => i.path);
    expect(prefixes).toEqual(['/notes/deep/', '/notes/deeper/']);
    expect(shallow.filter((i) => i.type === 'memory')).toHaveLength(25);

    const root: BetaManagedAgentsMemoryListItem[] = [];
    for await (const item of m.list(s, { depth: 1 })) root.push(item);
    expect(root.map((i) => `${i.type}:${i.path}`)).toEqual(['memory_prefix:/notes-archive/', 'memory_prefix:/notes/', 'memory:/top.md']);

    // The list's default view is basic; full carries content and caps a page at 20 items.
    const basic = await m.list(s, { limit: 50 });
    expect(basic.data).toHaveLength(30);
    expect(basic.data.every((i) => i.type !== 'memory' || i.content === null)).toBe(true);
    const full = await m.list(s, { limit: 50, view: 'full' });
    expect(full.data).toHaveLength(20);
    expect(full.hasNextPage()).toBe(true);
    const first = full.data[0]!;
    expect(first.type === 'memory' && first.content).toBe(`content of ${first.path}`);
    const fullAll: string[] = [];
    for await (const item of m.list(s, { view: 'full', limit: 50 })) fullAll.push(item.path);
    expect(fullAll).toEqual(all);
  });

  it('enforces content_sha256 preconditions on update and delete', async () => {
    const m = t.client.beta.memoryStores.memories;
    const x = await m.create(store, { path: '/pre/x.md', content: 'v1' });
    const stale = await apiFailure(m.update(x.id, { memory_store_id: store, content: 'v2', precondition: { type: 'content_sha256', content_sha256: sha256Hex('other') } }));
    expect(stale).toBeInstanceOf(Anthropic.ConflictError);
    expect(stale.status).toBe(409);
    expect(apiError(stale)).toMatchObject({ type: 'memory_precondition_failed_error', code: 'memory_precondition_failed' });
    expect((await m.retrieve(x.id, { memory_store_id: store })).content).toBe('v1');

    const ok = await m.update(x.id, { memory_store_id: store, content: 'v2', precondition: { type: 'content_sha256', content_sha256: sha256Hex('v1') } });
    expect(ok.content_sha256).toBe(sha256Hex('v2'));

    const staleDelete = await apiFailure(m.delete(x.id, { memory_store_id: store, expected_content_sha256: sha256Hex('v1') }));
    expect(staleDelete).toBeInstanceOf(Anthropic.ConflictError);
    expect(apiError(staleDelete).type).toBe('memory_precondition_failed_error');
    expect(await m.delete(x.id, { memory_store_id: store, expected_content_sha256: sha256Hex('v2') })).toEqual({ id: x.id, type: 'memory_deleted' });

    const badSha = await apiFailure(m.update(x.id, { memory_store_id: store, content: 'v3', precondition: { type: 'content_sha256', content_sha256: 'XYZ' } }));
    expect(badSha).toBeInstanceOf(Anthropic.BadRequestError);
    expect(badSha.message).toMatch(/precondition\.content_sha256/);
  });

  it('refuses a path that is taken or overlaps another memory, naming it', async () => {
    const m = t.client.beta.memoryStores.memories;
    const a = await m.create(store, { path: '/conflict/a.md', content: 'a' });
    const dup = await apiFailure(m.create(store, { path: '/conflict/a.md', content: 'again' }));
    expect(dup).toBeInstanceOf(Anthropic.ConflictError);
    expect(apiError(dup)).toMatchObject({ type: 'memory_path_conflict_error', conflicting_memory_id: a.id, conflicting_path: '/conflict/a.md' });
    // A memory can't be a folder of another one, nor sit below one.
    expect(apiError(await apiFailure(m.create(store, { path: '/conflict/a.md/b.md', content: 'b' }))).type).toBe('memory_path_conflict_error');
    expect(apiError(await apiFailure(m.create(store, { path: '/conflict', content: 'c' }))).type).toBe('memory_path_conflict_error');
    const b = await m.create(store, { path: '/conflict/b.md', content: 'b' });
    const rename = await apiFailure(m.update(b.id, { memory_store_id: store, path: '/conflict/a.md' }));
    expect(rename).toBeInstanceOf(Anthropic.ConflictError);
    expect(apiError(rename).conflicting_memory_id).toBe(a.id);
  });

  it('answers 404 for an unknown store or memory and 400 for a malformed id', async () => {
    const m = t.client.beta.memoryStores.memories;
    const ghostStore = newId('store');
    const ghostMem = newId('memory');
    expect(await apiFailure(m.create(ghostStore, { path: '/x.md', content: 'x' }))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await apiFailure(m.list(ghostStore))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await apiFailure(m.retrieve(mem.id, { memory_store_id: ghostStore }))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await apiFailure(m.retrieve(ghostMem, { memory_store_id: store }))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await apiFailure(m.update(ghostMem, { memory_store_id: store, content: 'x' }))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await apiFailure(m.delete(ghostMem, { memory_store_id: store }))).toBeInstanceOf(Anthropic.NotFoundError);
    const malformed = await apiFailure(m.retrieve('mem_../../etc', { memory_store_id: store }));
    expect(malformed).toBeInstanceOf(Anthropic.BadRequestError);
    expect(malformed.message).toMatch(/memory_id/);
  });

  it('accepts 102,400 bytes of content and answers 413 above it', async () => {
    const m = t.client.beta.memoryStores.memories;
    const max = 'é'.repeat(51_200); // 2 bytes each: exactly the limit
    const ok = await m.create(store, { path: '/big/max.md', content: max });
    expect(ok.content_size_bytes).toBe(102_400);
    const big = await apiFailure(m.create(store, { path: '/big/over.md', content: `${max}x` }));
    expect(big).toBeInstanceOf(Anthropic.ContentTooLargeError);
    expect(big.status).toBe(413);
    expect(apiError(big)).toMatchObject({ type: 'request_too_large', code: 'content_too_large' });
    expect(big.message).toMatch(/102401 bytes/);
    expect(await apiFailure(m.update(ok.id, { memory_store_id: store, content: `${max}x` }))).toBeInstanceOf(Anthropic.ContentTooLargeError);
  });

  it('refuses bad input with BadRequestError naming the field', async () => {
    const m = t.client.beta.memoryStores.memories;
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() => m.create(store, { path: 'no-slash.md', content: 'x' }), /path/],
      [() => m.create(store, { path: '/a/../b.md', content: 'x' }), /path/],
      [() => m.create(store, { path: '/x.md', content: 'x', colour: 'red' } as never), /colour/],
      [() => m.create(store, { path: '/x.md' } as never), /content/],
      [() => m.create(store, { path: '/x.md', content: 'x', view: 'everything' as never }), /view/],
      [() => m.list(store, { path_prefix: '/notes' }), /path_prefix/],
      [() => m.list(store, { depth: -1 }), /depth/],
      [() => m.list(store, { limit: 0 }), /limit/],
      [() => m.update(mem.id, { memory_store_id: store, precondition: { type: 'etag' as never, content_sha256: sha256Hex('x') } }), /precondition\.type/],
      [() => m.delete(mem.id, { memory_store_id: store, expected_content_sha256: 'nothex' }), /expected_content_sha256/],
    ];
    for (const [p, field] of cases) {
      const e = await apiFailure(p());
      expect(e).toBeInstanceOf(Anthropic.BadRequestError);
      expect(e.message).toMatch(field);
    }
  });

  it('refuses writes to an archived store with ConflictError, still serving reads and deletes', async () => {
    const s = (await t.client.beta.memoryStores.create({ name: 'to archive' })).id;
    const m = t.client.beta.memoryStores.memories;
    const a = await m.create(s, { path: '/a.md', content: 'a' });
    const b = await m.create(s, { path: '/b.md', content: 'b' });
    await t.client.beta.memoryStores.archive(s);
    const create = await apiFailure(m.create(s, { path: '/c.md', content: 'c' }));
    expect(create).toBeInstanceOf(Anthropic.ConflictError);
    expect(apiError(create)).toMatchObject({ type: 'conflict_error', code: 'store_archived' });
    expect(await apiFailure(m.update(a.id, { memory_store_id: s, content: 'changed' }))).toBeInstanceOf(Anthropic.ConflictError);
    expect((await m.retrieve(a.id, { memory_store_id: s })).content).toBe('a');
    expect((await m.list(s)).data.map((i) => i.path)).toEqual(['/a.md', '/b.md']);
    await m.delete(b.id, { memory_store_id: s });
    expect((await m.list(s)).data.map((i) => i.path)).toEqual(['/a.md']);
  });
});
