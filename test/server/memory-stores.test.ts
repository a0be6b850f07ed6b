import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.ts';

describe('dream serve: memory stores through the official SDK', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, retrieves, updates, archives and deletes a store', async () => {
    const created = await t.client.beta.memoryStores.create({ name: 'team notes', description: 'what we learned', metadata: { team: 'ci' } });
    expect(created).toMatchObject({ type: 'memory_store', name: 'team notes', description: 'what we learned', metadata: { team: 'ci' } });
    expect(await t.client.beta.memoryStores.retrieve(created.id)).toEqual(created);

    const updated = await t.client.beta.memoryStores.update(created.id, { name: 'renamed', metadata: { team: null, owner: 'ana' } });
    expect(updated.name).toBe('renamed');
    expect(updated.metadata).toEqual({ owner: 'ana' });

    const archived = await t.client.beta.memoryStores.archive(created.id);
    expect(archived.archived_at).not.toBeNull();
    const ids = async (include_archived?: boolean) => {
      const out: string[] = [];
      for await (const s of t.client.beta.memoryStores.list(include_archived === undefined ? {} : { include_archived })) out.push(s.id);
      return out;
    };
    expect(await ids()).not.toContain(created.id);
    expect(await ids(true)).toContain(created.id);

    expect(await t.client.beta.memoryStores.delete(created.id)).toEqual({ id: created.id, type: 'memory_store_deleted' });
    await expect(t.client.beta.memoryStores.retrieve(created.id)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('pages through every store with the auto-paginating iterator, in order, without repeats', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await t.client.beta.memoryStores.create({ name: `paged ${i}` })).id);
    const seen: string[] = [];
    for await (const s of t.client.beta.memoryStores.list({ limit: 3 })) seen.push(s.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of made) expect(seen).toContain(id);
    const first = await t.client.beta.memoryStores.list({ limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.data.map((s) => s.id)).toEqual(seen.slice(3, 6));
  });

  it('filters by created_at', async () => {
    const s = await t.client.beta.memoryStores.create({ name: 'dated' });
    const after: string[] = [];
    for await (const x of t.client.beta.memoryStores.list({ 'created_at[gte]': s.created_at })) after.push(x.id);
    expect(after).toContain(s.id);
    const before: string[] = [];
    for await (const x of t.client.beta.memoryStores.list({ 'created_at[lte]': '2000-01-01T00:00:00Z' })) before.push(x.id);
    expect(before).toEqual([]);
  });

  it('answers bad input with the API error shape the SDK turns into BadRequestError', async () => {
    const err = await t.client.beta.memoryStores.create({ name: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    const e = err as InstanceType<typeof Anthropic.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const unknownField = await t.client.beta.memoryStores.create({ name: 'x', colour: 'red' } as never).catch((x: unknown) => x);
    expect(unknownField).toBeInstanceOf(Anthropic.BadRequestError);
    expect((unknownField as Error).message).toMatch(/colour/);

    const badPage = await t.client.beta.memoryStores.list({ page: 'not-a-token' }).catch((x: unknown) => x);
    expect(badPage).toBeInstanceOf(Anthropic.BadRequestError);
    const badLimit = await t.client.beta.memoryStores.list({ limit: 0 }).catch((x: unknown) => x);
    expect(badLimit).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('refuses requests without a valid key', async () => {
    const wrong = new Anthropic({ baseURL: t.server.url, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.beta.memoryStores.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const res = await fetch(`${t.server.url}/v1/memory_stores`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    // Bearer works too (the SDK's authToken).
    const bearer = new Anthropic({ baseURL: t.server.url, authToken: TEST_KEY, apiKey: null, maxRetries: 0 });
    await expect(bearer.beta.memoryStores.list()).resolves.toBeDefined();
  });

  it('answers unknown routes and malformed JSON in the API shape', async () => {
    const r = await fetch(`${t.server.url}/v1/nothing`, { headers: { 'x-api-key': TEST_KEY } });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const bad = await fetch(`${t.server.url}/v1/memory_stores`, {
      method: 'POST',
      headers: { 'x-api-key': TEST_KEY, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});

describe('dream serve: rate limits', () => {
  it('answers 429 with retry-after past the per-key limit, and the SDK raises RateLimitError', async () => {
    const t = await startTestServer({ rateLimits: { createsPerMinute: 3, readsPerMinute: 5 } });
    try {
      for (let i = 0; i < 5; i++) await t.client.beta.memoryStores.list();
      const err = await t.client.beta.memoryStores.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.RateLimitError);
      const e = err as InstanceType<typeof Anthropic.RateLimitError>;
      expect(Number(e.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Creates have their own budget.
      for (let i = 0; i < 3; i++) await t.client.beta.memoryStores.create({ name: `s${i}` });
      await expect(t.client.beta.memoryStores.create({ name: 'one too many' })).rejects.toBeInstanceOf(Anthropic.RateLimitError);
      // Another key is not affected.
    } finally {
      await t.close();
    }
  });
});
