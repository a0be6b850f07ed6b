import Anthropic from '@anthropic-ai/sdk';
import type { BetaDream } from '@anthropic-ai/sdk/resources/beta/dreams';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fg from 'fast-glob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DreamRunner } from '../../src/server/dream-runner.ts';
import { dreamRoutes } from '../../src/server/routes/dreams.ts';
import { hashTree, REPO } from '../helpers/cli.ts';
import { importOverHttp, waitFor, writeLogs } from '../helpers/serve-child.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

async function importAll(url: string, files: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of files) {
    const res = await importOverHttp(url, f);
    expect(res.status, await res.clone().text()).toBe(200);
    ids.push(((await res.json()) as { session: { id: string } }).session.id);
  }
  return ids;
}

const isOver = (d: BetaDream) => ['completed', 'failed', 'canceled'].includes(d.status);

describe('dream serve: dreams through the official SDK', () => {
  let t: TestServer;
  let runner: DreamRunner;
  let examples: string[];
  let storeId: string;

  beforeAll(async () => {
    // One dream at a time on one thread; batches of one session so a cancel lands mid-extraction.
    runner = new DreamRunner({ workers: 1, env: {} });
    t = await startTestServer({ routes: [dreamRoutes(runner, { strategyOptions: { 'batch-size': 1 } })], services: [runner] });
    examples = await importAll(t.server.url, (await fg('examples/sessions/**/*', { cwd: REPO, absolute: true })).sort());
    storeId = (await t.client.beta.memoryStores.create({ name: 'team memory' })).id;
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const settle = (id: string) => waitFor(async () => {
    const d = await t.client.beta.dreams.retrieve(id);
    return isOver(d) ? d : undefined;
  }, 120_000, `dream ${id} to end`);

  it('creates a local dream, runs it in the background and writes a new store readable through the SDK', async () => {
    const created = await t.client.beta.dreams.create({
      inputs: [{ type: 'memory_store', memory_store_id: storeId }, { type: 'sessions', session_ids: examples }],
      model: 'local',
      instructions: 'focus on CI failures',
    });
    expect(created).toMatchObject({ type: 'dream', status: 'pending', outputs: [], model: { id: 'local' }, instructions: 'focus on CI failures', archived_at: null });
    expect(created.session_id).toMatch(/^sesn_/);

    const done = await settle(created.id);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.usage).toEqual({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    const out = done.outputs[0]!.memory_store_id;
    expect(out).not.toBe(storeId);

    const paths: string[] = [];
    for await (const m of t.client.beta.memoryStores.memories.list(out)) if (m.type === 'memory') paths.push(m.path);
    expect(paths).toContain('/README.md');
    expect(paths.some((p) => p.startsWith('/failures/'))).toBe(true);

    // The dream's own session is a session too, with the grader's evaluations.
    const session = await t.client.beta.sessions.retrieve(done.session_id!);
    expect(session).toMatchObject({ id: done.session_id, type: 'session', status: 'idle', metadata: { 'dreamwork.dream_id': done.id } });
    expect(session.outcome_evaluations.at(-1)?.result).toBe('satisfied');
    const types: string[] = [];
    for await (const e of t.client.beta.sessions.events.list(done.session_id!, { limit: 5 })) types.push(e.type);
    expect(types[0]).toBe('session.status_running');
    expect(types).toContain('span.outcome_evaluation_end');
    expect(types.at(-1)).toBe('session.status_idle');
  }, 120_000);

  it('streams a dream’s events live over SSE from before it starts until it ends', async () => {
    // The runner runs one dream at a time: a first dream keeps it busy so the streamed dream is
    // still pending when its stream opens, and the streamed dream reads a pile of logs so it runs
    // for many of the stream's polls (150 ms) — a dream shorter than one poll would rightly
    // arrive all at once.
    const dir = await mkdtemp(join(tmpdir(), 'dw-sse-'));
    const logs = await importAll(t.server.url, await writeLogs(dir, 32, 30_000));
    const blocker = await t.client.beta.dreams.create({
      inputs: [{ type: 'memory_store', memory_store_id: storeId }, { type: 'sessions', session_ids: examples.slice(0, 4) }],
      model: 'local',
    });
    const created = await t.client.beta.dreams.create({
      inputs: [{ type: 'memory_store', memory_store_id: storeId }, { type: 'sessions', session_ids: logs }],
      model: { id: 'local', speed: 'standard' },
    });
    expect(created.model).toEqual({ id: 'local', speed: 'standard' });
    const stream = await t.client.beta.sessions.events.stream(created.session_id!);
    const seen: { type: string; at: number }[] = [];
    for await (const e of stream) seen.push({ type: e.type, at: Date.now() });
    // The stream ended with the dream, and its first events arrived while the dream still ran:
    // before the dream's end as the server recorded it.
    const done = await t.client.beta.dreams.retrieve(created.id);
    expect(done.status).toBe('completed');
    expect(seen[0]!.type).toBe('session.status_running');
    expect(seen[0]!.at).toBeLessThan(Date.parse(done.ended_at!));
    expect(seen.map((s) => s.type)).toContain('span.outcome_evaluation_start');
    expect(seen.at(-1)!.type).toBe('session.status_idle');
    expect((await t.client.beta.dreams.retrieve(blocker.id)).status).toBe('completed');
  }, 120_000);

  it('cancels a running dream: it stops, writes nothing, and the input store is untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-logs-'));
    const ids = await importAll(t.server.url, await writeLogs(dir, 40, 1500));
    const before = await hashTree(join(t.root, 'stores', storeId));
    const created = await t.client.beta.dreams.create({
      inputs: [{ type: 'memory_store', memory_store_id: storeId }, { type: 'sessions', session_ids: ids }],
      model: 'local',
      output_behavior: { type: 'update_existing', memory_store_id: storeId },
    });
    await waitFor(async () => ((await t.client.beta.dreams.retrieve(created.id)).status === 'running' ? true : undefined), 60_000, 'running');
    // Archiving is for finished dreams only.
    await expect(t.client.beta.dreams.archive(created.id)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    const canceled = await t.client.beta.dreams.cancel(created.id);
    expect(canceled.status).toBe('canceled');
    expect((await t.client.beta.dreams.cancel(created.id)).status).toBe('canceled'); // idempotent
    await waitFor(async () => (runner.has(created.id) ? undefined : true), 30_000, 'the runner to let go');
    const after = await t.client.beta.dreams.retrieve(created.id);
    expect(after).toMatchObject({ status: 'canceled', outputs: [] });
    expect(await hashTree(join(t.root, 'stores', storeId))).toEqual(before);

    const archived = await t.client.beta.dreams.archive(created.id);
    expect(archived.archived_at).not.toBeNull();
  }, 120_000);

  it('lists newest first with status, archive and created_at filters, and auto-paginates', async () => {
    const all: BetaDream[] = [];
    for await (const d of t.client.beta.dreams.list({ limit: 1, include_archived: true })) all.push(d);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((d) => d.id)).size).toBe(all.length);
    expect([...all].sort((a, b) => b.created_at.localeCompare(a.created_at)).map((d) => d.id)).toEqual(all.map((d) => d.id));

    const visible: string[] = [];
    for await (const d of t.client.beta.dreams.list()) visible.push(d.id);
    expect(visible.length).toBe(all.filter((d) => !d.archived_at).length);

    const completed: string[] = [];
    for await (const d of t.client.beta.dreams.list({ statuses: ['completed'], include_archived: true })) completed.push(d.status);
    expect(completed.length).toBe(3); // the first dream, the streamed one and the one that kept the runner busy
    expect(new Set(completed)).toEqual(new Set(['completed']));
    const two: string[] = [];
    for await (const d of t.client.beta.dreams.list({ statuses: ['completed', 'canceled'], include_archived: true })) two.push(d.status);
    expect(two.length).toBe(4);

    const oldest = all.at(-1)!;
    const after: string[] = [];
    for await (const d of t.client.beta.dreams.list({ 'created_at[gt]': oldest.created_at, include_archived: true })) after.push(d.id);
    expect(after).not.toContain(oldest.id);
    const before: string[] = [];
    for await (const d of t.client.beta.dreams.list({ 'created_at[lt]': '2000-01-01T00:00:00Z' })) before.push(d.id);
    expect(before).toEqual([]);

    await expect(t.client.beta.dreams.list({ statuses: ['sleeping' as never] })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('refuses what cannot run, with the API’s error classes', async () => {
    const inputs = [{ type: 'memory_store' as const, memory_store_id: storeId }, { type: 'sessions' as const, session_ids: examples.slice(0, 1) }];
    const noKey = await t.client.beta.dreams.create({ inputs, model: 'claude-sonnet-4-5' }).catch((e: unknown) => e);
    expect(noKey).toBeInstanceOf(Anthropic.BadRequestError);
    expect((noKey as Error).message).toMatch(/ANTHROPIC_API_KEY/);
    expect((noKey as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ error: { type: 'invalid_request_error', code: 'missing_api_key' } });

    const unknownModel = await t.client.beta.dreams.create({ inputs, model: 'gpt-5' }).catch((e: unknown) => e);
    expect(unknownModel).toBeInstanceOf(Anthropic.BadRequestError);
    expect((unknownModel as Error).message).toMatch(/model/);

    const twoStores = await t.client.beta.dreams.create({ inputs: [...inputs, inputs[0]!], model: 'local' }).catch((e: unknown) => e);
    expect((twoStores as Error).message).toMatch(/exactly one memory_store/);
    const badField = await t.client.beta.dreams.create({ inputs: [{ type: 'sessions', session_ids: 'x' as never }], model: 'local' }).catch((e: unknown) => e);
    expect((badField as Error).message).toMatch(/inputs\[0\]\.session_ids/);
    const noSession = await t.client.beta.dreams.create({ inputs: [inputs[0]!, { type: 'sessions', session_ids: ['sesn_doesnotexist0000'] }], model: 'local' }).catch((e: unknown) => e);
    expect(noSession).toBeInstanceOf(Anthropic.NotFoundError);
    const tooLong = await t.client.beta.dreams.create({ inputs, model: 'local', instructions: 'x'.repeat(4097) }).catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(Anthropic.BadRequestError);

    await expect(t.client.beta.dreams.retrieve('drm_doesnotexist00000000')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const completed = (await t.client.beta.dreams.list({ statuses: ['completed'], include_archived: true })).data[0]!;
    await expect(t.client.beta.dreams.cancel(completed.id)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('answers 429 with retry-after once the queue is full', async () => {
    const full = new DreamRunner({ workers: 1, maxQueued: 0 });
    const s = await startTestServer({ root: t.root, routes: [dreamRoutes(full)], services: [full] });
    try {
      const err = await s.client.beta.dreams
        .create({ inputs: [{ type: 'memory_store', memory_store_id: storeId }, { type: 'sessions', session_ids: examples.slice(0, 1) }], model: 'local' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.RateLimitError);
      const e = err as InstanceType<typeof Anthropic.RateLimitError>;
      expect(e.headers.get('retry-after')).toBe('30');
      expect(e.error).toMatchObject({ error: { type: 'rate_limit_error', code: 'dream_queue_full' } });
    } finally {
      await s.close();
    }
  });
});
