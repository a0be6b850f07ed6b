import Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { RootPaths } from '../../src/core/root.ts';
import { buildRunConfig } from '../../src/app/run.ts';
import { REPO, tempRoot } from '../helpers/cli.ts';
import { importOverHttp } from '../helpers/serve-child.ts';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.ts';
import { DreamRunner } from '../../src/server/dream-runner.ts';
import { dreamRoutes } from '../../src/server/routes/dreams.ts';

interface Imported {
  type: 'session_import';
  status: 'imported' | 'existing';
  session: { id: string; title: string; metadata: Record<string, string> };
  warnings: { line: number; message: string }[];
}

async function upload(url: string, name: string, body: Buffer | string, contentType = 'application/octet-stream'): Promise<Response> {
  return fetch(`${url}/v1/sessions/import?filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'x-api-key': TEST_KEY, 'content-type': contentType },
    body,
  });
}

async function eventsOf(t: TestServer, id: string, params: Record<string, unknown> = {}): Promise<BetaManagedAgentsSessionEvent[]> {
  const out: BetaManagedAgentsSessionEvent[] = [];
  for await (const e of t.client.beta.sessions.events.list(id, params)) out.push(e);
  return out;
}

/** A binary file and malformed JSON are refused with a 400 naming the file (and the line). */
async function expectRefusals(url: string): Promise<void> {
  const binary = await upload(url, 'core.dump', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
  expect(binary.status).toBe(400);
  const body = (await binary.json()) as { error: { type: string; message: string; code: string } };
  expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'binary_file' });
  expect(body.error.message).toMatch(/^core\.dump: binary file/);
  const badJson = await upload(url, 'broken.json', '{"messages": [ {"role": "user", "content": "hi"},\n  {"role": "user",} ]}');
  expect(badJson.status).toBe(400);
  expect(((await badJson.json()) as { error: { message: string } }).error.message).toMatch(/^broken\.json: .*line 2/);
}

describe('dream serve: sessions through the official SDK', () => {
  let t: TestServer;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestServer();
    for (const file of (await fg('examples/sessions/**/*', { cwd: REPO, absolute: true })).sort()) {
      const res = await importOverHttp(t.server.url, file);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Imported;
      ids.set(file.slice(file.lastIndexOf('/') + 1), body.session.id);
    }
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('imports a transcript file sent as the body, once per content, gzip and JSON included', async () => {
    const text = await readFile(join(REPO, 'examples/sessions/ci/run-101.log'));
    const again = (await (await upload(t.server.url, 'copy-of-101.log', text, 'text/plain')).json()) as Imported;
    expect(again.status).toBe('existing');
    expect(again.session.id).toBe(ids.get('run-101.log'));

    const gz = ids.get('2026-11-07-release.events.jsonl.gz')!;
    expect((await t.client.beta.sessions.retrieve(gz)).metadata).toMatchObject({ 'dreamwork.format': 'managed_agents', 'dreamwork.source': '2026-11-07-release.events.jsonl.gz' });

    const chat = await readFile(join(REPO, 'examples/sessions/chat/2026-11-05-release-notes.json'));
    const asJson = (await (await upload(t.server.url, 'notes.json', chat, 'application/json')).json()) as Imported;
    expect(asJson.session.id).toBe(ids.get('2026-11-05-release-notes.json'));

    const jsonl = '{"type":"user","message":{"role":"user","content":"run the tests"}}\nnot json at all\n{"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"All 12 tests pass."}]}}\n';
    const res = await upload(t.server.url, 'partial.jsonl', jsonl);
    expect(res.status).toBe(200);
    const partial = (await res.json()) as Imported;
    expect(partial.status).toBe('imported');
    expect(partial.warnings[0]).toMatchObject({ line: 2 });
    expect(partial.session.metadata['dreamwork.source']).toBe('partial.jsonl');
  });

  it('refuses a bad file with a 400 naming it, and a body over the limit with a 413', async () => {
    await expectRefusals(t.server.url);

    expect((await upload(t.server.url, 'empty.log', '')).status).toBe(400);
    expect((await upload(t.server.url, '../../etc/passwd', 'x')).status).toBe(400);
    const noKey = await fetch(`${t.server.url}/v1/sessions/import?filename=a.log`, { method: 'POST', body: 'hello' });
    expect(noKey.status).toBe(401);

    // A server with a 1 KiB body limit: the same route answers 413 in the API's error shape.
    const root = await tempRoot();
    const { app } = buildApp({ paths: new RootPaths(root), keys: [TEST_KEY], bodyLimit: 1024 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as { port: number }).port;
      const big = await upload(`http://127.0.0.1:${port}`, 'big.log', 'line\n'.repeat(1000));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { type: string } }).error.type).toBe('request_too_large');
    } finally {
      await app.close();
    }
  });

  it('imports on the dream runner\'s task threads when the server has them, with the same answers', async () => {
    const runner = new DreamRunner({ workers: 1, env: {} });
    const s = await startTestServer({ routes: [dreamRoutes(runner)], services: [runner] });
    try {
      const log = await readFile(join(REPO, 'examples/sessions/ci/run-102.log'));
      const ok = (await (await upload(s.server.url, 'run-102.log', log)).json()) as Imported;
      expect(ok.status).toBe('imported');
      expect(ok.session.id).toBe(ids.get('run-102.log'));
      await expectRefusals(s.server.url);
    } finally {
      await s.close();
    }
  });

  it('retrieves a session in the Managed Agents shape', async () => {
    const s = await t.client.beta.sessions.retrieve(ids.get('run-102.log')!);
    expect(s).toMatchObject({
      type: 'session',
      status: 'terminated',
      archived_at: null,
      environment_id: 'imported',
      agent: { type: 'agent', name: 'text_log' },
      metadata: { 'dreamwork.kind': 'build_log', 'dreamwork.source': 'run-102.log' },
      resources: [],
      vault_ids: [],
    });
    expect(Number(s.metadata['dreamwork.lines'])).toBeGreaterThan(5);
    await expect(t.client.beta.sessions.retrieve('sesn_doesnotexist0000000')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(t.client.beta.sessions.retrieve('../../etc')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('lists sessions newest first, pages both ways, and filters', async () => {
    const all: string[] = [];
    for await (const s of t.client.beta.sessions.list({ limit: 3 })) all.push(s.id);
    expect(all.length).toBe(ids.size + 1); // + partial.jsonl
    expect(new Set(all).size).toBe(all.length);
    const first = await t.client.beta.sessions.list({ limit: 3 });
    expect(first.prev_page).toBeNull();
    const second = await first.getNextPage();
    expect(second.data.map((s) => s.id)).toEqual(all.slice(3, 6));
    expect(second.prev_page).not.toBeNull();
    const back = await t.client.beta.sessions.list({ limit: 3, page: second.prev_page! });
    expect(back.data.map((s) => s.id)).toEqual(all.slice(0, 3));

    const asc: string[] = [];
    for await (const s of t.client.beta.sessions.list({ order: 'asc' })) asc.push(s.id);
    expect(new Set(asc)).toEqual(new Set(all));
    const none = await t.client.beta.sessions.list({ 'created_at[lt]': '2000-01-01T00:00:00Z' });
    expect(none.data).toEqual([]);
    await expect(t.client.beta.sessions.list({ order: 'sideways' as never })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('lists events in order with pagination, type filter and tool results tied to their tool use', async () => {
    const id = ids.get('2026-11-06-migrate-orders.jsonl')!;
    const all = await eventsOf(t, id, { limit: 2 });
    expect(all.length).toBeGreaterThan(4);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const page = await t.client.beta.sessions.events.list(id, { limit: 2 });
    expect(page.data.map((e) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));

    const results = all.filter((e) => e.type === 'agent.tool_result');
    expect(results.length).toBeGreaterThan(0);
    const useIds = new Set(all.filter((e) => e.type === 'agent.tool_use').map((e) => e.id));
    for (const r of results) expect(useIds.has(r.tool_use_id)).toBe(true);
    expect(results.some((r) => r.is_error === true)).toBe(true);

    const onlyUses = await eventsOf(t, id, { types: ['agent.tool_use'] });
    expect(onlyUses.map((e) => e.id)).toEqual([...useIds]);
    const desc = await eventsOf(t, id, { order: 'desc' });
    expect(desc.map((e) => e.id)).toEqual(all.map((e) => e.id).reverse());

    // A build log's lines are system messages carrying their line numbers.
    const log = await eventsOf(t, ids.get('run-101.log')!);
    expect(log[0]).toMatchObject({ type: 'system.message', source_lines: [1, expect.any(Number)] });
  });

  it('streams a finished session’s events over SSE and ends', async () => {
    const id = ids.get('2026-11-04-add-coupon-endpoint.jsonl')!;
    const listed = await eventsOf(t, id);
    const streamed: string[] = [];
    for await (const e of await t.client.beta.sessions.events.stream(id)) streamed.push((e as { id: string }).id);
    expect(streamed).toEqual(listed.map((e) => e.id));
    await expect(t.client.beta.sessions.events.stream('sesn_doesnotexist0000000')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('archives and deletes sessions; a session a pending dream reads cannot be deleted', async () => {
    const id = ids.get('run-103.log')!;
    const archived = await t.client.beta.sessions.archive(id);
    expect(archived.archived_at).not.toBeNull();
    expect((await t.client.beta.sessions.archive(id)).archived_at).toBe(archived.archived_at);
    const visible: string[] = [];
    for await (const s of t.client.beta.sessions.list()) visible.push(s.id);
    expect(visible).not.toContain(id);
    const withArchived: string[] = [];
    for await (const s of t.client.beta.sessions.list({ include_archived: true })) withArchived.push(s.id);
    expect(withArchived).toContain(id);

    expect(await t.client.beta.sessions.delete(id)).toEqual({ id, type: 'session_deleted' });
    await expect(t.client.beta.sessions.retrieve(id)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(t.client.beta.sessions.delete(id)).rejects.toBeInstanceOf(Anthropic.NotFoundError);

    // A dream created (not run: this server has no runner) holds its sessions.
    const store = await t.client.beta.memoryStores.create({ name: 'held' });
    const held = ids.get('run-104.log')!;
    const dream = await t.server.ctx.dreams.create({
      memory_store_id: store.id,
      session_ids: [held],
      instructions: null,
      model: 'local',
      output_behavior: 'create_new',
      config: await buildRunConfig({ inputs: [], workers: 1 }),
    });
    const conflict = await t.client.beta.sessions.delete(held).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(Anthropic.ConflictError);
    expect((conflict as Error).message).toMatch(dream.id);
    // Its own session is a session too; it goes with the dream, not alone.
    expect((await t.client.beta.sessions.retrieve(dream.session_id!)).status).toBe('rescheduling');
    await expect(t.client.beta.sessions.delete(dream.session_id!)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(t.client.beta.sessions.archive(dream.session_id!)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe('import errors name the file', () => {
  it('a JSONL transcript with only bad lines is refused naming the file', async () => {
    const t = await startTestServer();
    try {
      const res = await upload(t.server.url, 'junk.jsonl', '{"type":"user"\n{"type":\n');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^junk\.jsonl: /);
    } finally {
      await t.close();
    }
  });
});
