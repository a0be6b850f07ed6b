import Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsMemoryVersion, MemoryVersionListParams } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-versions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { keyId } from '../../src/server/auth.ts';
import { apiFailure, startTestServer, TEST_KEY, type TestServer } from '../helpers/server.ts';

const OTHER_KEY = 'second-key-9876543210';


describe('dream serve: memory versions through the official SDK', () => {
  let t: TestServer;
  let other: Anthropic;
  let store: string;
  let memA: string;
  let memB: string;
  const list = async (params: MemoryVersionListParams = {}): Promise<BetaManagedAgentsMemoryVersion[]> => {
    const out: BetaManagedAgentsMemoryVersion[] = [];
    for await (const v of t.client.beta.memoryStores.memoryVersions.list(store, params)) out.push(v);
    return out;
  };

  beforeAll(async () => {
    t = await startTestServer({ keys: [TEST_KEY, OTHER_KEY] });
    other = new Anthropic({ baseURL: t.server.url, apiKey: OTHER_KEY, maxRetries: 0 });
    store = (await t.client.beta.memoryStores.create({ name: 'history' })).id;
    const m = t.client.beta.memoryStores.memories;
    // History: A created, A modified ×2, B created (other key), A deleted, C created by a session (a dream).
    memA = (await m.create(store, { path: '/a.md', content: 'a1' })).id;
    await m.update(memA, { memory_store_id: store, content: 'a2' });
    await m.update(memA, { memory_store_id: store, content: 'a3', path: '/renamed/a.md' });
    memB = (await other.beta.memoryStores.memories.create(store, { path: '/b.md', content: 'b1' })).id;
    await m.delete(memA, { memory_store_id: store });
    await t.server.ctx.stores.createMemory(store, { path: '/c.md', content: 'c1' }, { type: 'session_actor', session_id: 'sesn_fromadream01' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists every version newest first, basic view without content, across pages', async () => {
    const all = await list({ limit: 2 });
    expect(all.map((v) => `${v.operation}:${v.path}`)).toEqual([
      'created:/c.md',
      'deleted:/renamed/a.md',
      'created:/b.md',
      'modified:/renamed/a.md',
      'modified:/a.md',
      'created:/a.md',
    ]);
    expect(new Set(all.map((v) => v.id)).size).toBe(6);
    for (const v of all) {
      expect(v).toMatchObject({ type: 'memory_version', memory_store_id: store, content: null, redacted_at: null });
      expect(v.id).toMatch(/^memver_/);
    }
    const full = await list({ view: 'full' });
    expect(full.map((v) => v.content)).toEqual(['c1', null, 'b1', 'a3', 'a2', 'a1']);
  });

  it('filters by memory (deleted ones included), operation, actor and time', async () => {
    expect((await list({ memory_id: memA })).map((v) => v.operation)).toEqual(['deleted', 'modified', 'modified', 'created']);
    expect((await list({ memory_id: newId('memory') }))).toEqual([]);
    expect((await list({ operation: 'created' })).map((v) => v.path)).toEqual(['/c.md', '/b.md', '/a.md']);
    expect((await list({ memory_id: memA, operation: 'modified' }))).toHaveLength(2);

    const byOther = await list({ api_key_id: keyId(OTHER_KEY) });
    expect(byOther.map((v) => v.memory_id)).toEqual([memB]);
    expect(byOther[0]!.created_by).toEqual({ type: 'api_actor', api_key_id: keyId(OTHER_KEY) });
    expect(await list({ api_key_id: keyId(TEST_KEY) })).toHaveLength(4);
    const bySession = await list({ session_id: 'sesn_fromadream01' });
    expect(bySession.map((v) => v.path)).toEqual(['/c.md']);
    expect(bySession[0]!.created_by).toEqual({ type: 'session_actor', session_id: 'sesn_fromadream01' });
    expect(await list({ service_account_id: 'svac_nobody' })).toEqual([]);

    const all = await list();
    const oldest = all[all.length - 1]!;
    const newest = all[0]!;
    expect((await list({ 'created_at[gte]': oldest.created_at })).length).toBe(6);
    expect(await list({ 'created_at[lte]': '2000-01-01T00:00:00Z' })).toEqual([]);
    expect(await list({ 'created_at[gte]': '2999-01-01T00:00:00Z' })).toEqual([]);
    expect((await list({ 'created_at[lte]': newest.created_at })).length).toBe(6);
  });

  it('caps a full-view page at 20 versions', async () => {
    const s = (await t.client.beta.memoryStores.create({ name: 'many versions' })).id;
    const m = t.client.beta.memoryStores.memories;
    const x = await m.create(s, { path: '/x.md', content: 'v0' });
    for (let i = 1; i <= 24; i++) await m.update(x.id, { memory_store_id: s, content: `v${i}` });
    const page = await t.client.beta.memoryStores.memoryVersions.list(s, { view: 'full', limit: 100 });
    expect(page.data).toHaveLength(20);
    expect(page.data[0]!.content).toBe('v24');
    const rest = await page.getNextPage();
    expect(rest.data.map((v) => v.content)).toEqual(['v4', 'v3', 'v2', 'v1', 'v0']);
    expect((await t.client.beta.memoryStores.memoryVersions.list(s, { limit: 100 })).data).toHaveLength(25);
  });

  it('retrieves a version, full by default, basic on request', async () => {
    const [latest] = await list({ memory_id: memB });
    const v = t.client.beta.memoryStores.memoryVersions;
    const full = await v.retrieve(latest!.id, { memory_store_id: store });
    expect(full).toMatchObject({ id: latest!.id, memory_id: memB, operation: 'created', path: '/b.md', content: 'b1', content_size_bytes: 2 });
    expect((await v.retrieve(latest!.id, { memory_store_id: store, view: 'basic' })).content).toBeNull();
  });

  it('redacts a superseded version: content, path and hash are gone for good', async () => {
    const v = t.client.beta.memoryStores.memoryVersions;
    const [, , , created] = await list({ memory_id: memA });
    expect(created!.operation).toBe('created');
    const redacted = await v.redact(created!.id, { memory_store_id: store });
    expect(redacted).toMatchObject({
      id: created!.id,
      operation: 'created',
      content: null,
      path: null,
      content_sha256: null,
      content_size_bytes: null,
      redacted_by: { type: 'api_actor', api_key_id: keyId(TEST_KEY) },
    });
    expect(redacted.redacted_at).not.toBeNull();
    expect(await v.retrieve(created!.id, { memory_store_id: store })).toEqual(redacted);
    expect((await list({ view: 'full' })).find((x) => x.id === created!.id)?.content).toBeNull();
    // Idempotent: a second redact changes nothing.
    expect(await v.redact(created!.id, { memory_store_id: store })).toEqual(redacted);
  });

  it('refuses to redact the version holding a live memory’s content (ConflictError)', async () => {
    const [live] = await list({ memory_id: memB });
    const e = await apiFailure(t.client.beta.memoryStores.memoryVersions.redact(live!.id, { memory_store_id: store }));
    expect(e).toBeInstanceOf(Anthropic.ConflictError);
    expect((e.error as { error: { code: string } }).error.code).toBe('version_is_live');
  });

  it('answers 404 for unknown stores and versions, 400 for bad filters', async () => {
    const v = t.client.beta.memoryStores.memoryVersions;
    const ghost = newId('version');
    expect(await apiFailure(v.retrieve(ghost, { memory_store_id: store }))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await apiFailure(v.redact(ghost, { memory_store_id: store }))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await apiFailure(v.list(newId('store')))).toBeInstanceOf(Anthropic.NotFoundError);
    const [any] = await list();
    expect(await apiFailure(v.retrieve(any!.id, { memory_store_id: newId('store') }))).toBeInstanceOf(Anthropic.NotFoundError);
    const badOp = await apiFailure(v.list(store, { operation: 'renamed' as never }));
    expect(badOp).toBeInstanceOf(Anthropic.BadRequestError);
    expect(badOp.message).toMatch(/operation/);
    expect((await apiFailure(v.list(store, { memory_id: 'not-an-id' }))).message).toMatch(/memory_id/);
    expect((await apiFailure(v.list(store, { 'created_at[gte]': 'yesterday' }))).message).toMatch(/created_at\[gte\]/);
    expect((await apiFailure(v.retrieve(any!.id, { memory_store_id: store, view: 'all' as never }))).message).toMatch(/view/);
  });

  it('still lists and redacts versions of an archived store', async () => {
    const s = (await t.client.beta.memoryStores.create({ name: 'archived history' })).id;
    const m = t.client.beta.memoryStores.memories;
    const x = await m.create(s, { path: '/x.md', content: 'secret-ish' });
    await m.update(x.id, { memory_store_id: s, content: 'clean' });
    await t.client.beta.memoryStores.archive(s);
    const versions = (await t.client.beta.memoryStores.memoryVersions.list(s)).data;
    expect(versions.map((v) => v.operation)).toEqual(['modified', 'created']);
    const r = await t.client.beta.memoryStores.memoryVersions.redact(versions[1]!.id, { memory_store_id: s });
    expect(r.content).toBeNull();
  });
});
