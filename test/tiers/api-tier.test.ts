import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { setTier } from '../../src/review-actions/set-tier.ts';
import { hashTree } from '../helpers/cli.ts';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.ts';

describe('tiers over HTTP: API clients cannot write a trusted store or change a tier', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  async function projectStore(): Promise<{ id: string; memId: string }> {
    const s = await t.client.beta.memoryStores.create({ name: 'project memory' });
    const m = await t.client.beta.memoryStores.memories.create(s.id, { path: '/facts/a.md', content: 'A\n' });
    await setTier(new RootPaths(t.root), s.id, 'project', { reviewer: 'admin', note: 'trusted' });
    return { id: s.id, memId: m.id };
  }

  it('answers every write with 403 permission_error (PermissionDeniedError in the SDK), naming store and tier', async () => {
    const { id, memId } = await projectStore();
    const before = await hashTree(`${t.root}/stores/${id}`);
    const mems = t.client.beta.memoryStores.memories;
    const attempts: [string, () => Promise<unknown>][] = [
      ['create memory', () => mems.create(id, { path: '/facts/b.md', content: 'B\n' })],
      ['update memory', () => mems.update(memId, { memory_store_id: id, content: 'changed\n' })],
      ['delete memory', () => mems.delete(memId, { memory_store_id: id })],
      ['update store', () => t.client.beta.memoryStores.update(id, { name: 'mine now' })],
      ['archive store', () => t.client.beta.memoryStores.archive(id)],
      ['delete store', () => t.client.beta.memoryStores.delete(id)],
    ];
    for (const [what, call] of attempts) {
      const e = await call().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e, what).toBeInstanceOf(Anthropic.PermissionDeniedError);
      const err = e as InstanceType<typeof Anthropic.PermissionDeniedError>;
      expect(err.status, what).toBe(403);
      expect((err.error as { error: { type: string; message: string } }).error.type).toBe('permission_error');
      expect(err.message, what).toContain(`${id} is a project-tier store`);
    }
    expect(await hashTree(`${t.root}/stores/${id}`)).toEqual(before);
    // Reading is allowed, and the tier shows as read-only metadata.
    expect((await t.client.beta.memoryStores.retrieve(id)).metadata).toEqual({ 'dreamwork.tier': 'project' });
    expect((await mems.retrieve(memId, { memory_store_id: id })).content).toBe('A\n');
  });

  it('refuses to raise a tier through metadata, on create or update', async () => {
    const s = await t.client.beta.memoryStores.create({ name: 'working one' });
    await expect(t.client.beta.memoryStores.update(s.id, { metadata: { 'dreamwork.tier': 'org' } })).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    await expect(t.client.beta.memoryStores.create({ name: 'org?', metadata: { 'dreamwork.tier': 'org' } })).rejects.toBeInstanceOf(Anthropic.PermissionDeniedError);
    // And no route sets one: the tier is an admin CLI matter.
    const res = await fetch(`${t.server.url}/v1/memory_stores/${s.id}/tier`, { method: 'POST', headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' }, body: '{"tier":"org"}' });
    expect(res.status).toBe(404);
    expect((await t.client.beta.memoryStores.retrieve(s.id)).metadata).toEqual({});
  });
});
