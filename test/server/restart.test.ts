import Anthropic from '@anthropic-ai/sdk';
import type { BetaDream } from '@anthropic-ai/sdk/resources/beta/dreams';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, tempRoot } from '../helpers/cli.ts';
import { FakeMessagesServer, toolUseResponse, type RecordedRequest, type Step } from '../helpers/fake-anthropic.ts';
import { importOverHttp, startChildServer, waitFor, writeLogs, type ChildServer } from '../helpers/serve-child.ts';
import { TEST_KEY } from '../helpers/server.ts';

const client = (s: ChildServer) => new Anthropic({ baseURL: s.url, apiKey: TEST_KEY, maxRetries: 0 });
const isOver = (d: BetaDream) => ['completed', 'failed', 'canceled'].includes(d.status);

async function importAll(url: string, files: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of files) {
    const res = await importOverHttp(url, f);
    expect(res.status).toBe(200);
    ids.push(((await res.json()) as { session: { id: string } }).session.id);
  }
  return ids;
}

async function settle(c: Anthropic, id: string): Promise<BetaDream> {
  return waitFor(async () => {
    const d = await c.beta.dreams.retrieve(id);
    return isOver(d) ? d : undefined;
  }, 120_000, `dream ${id} to end`);
}

async function eventTypes(c: Anthropic, sessionId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of c.beta.sessions.events.list(sessionId, { limit: 100 })) {
    const original = (e as { dreamwork_event?: { type?: string } }).dreamwork_event?.type;
    out.push(original ?? e.type);
  }
  return out;
}

const children: ChildServer[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await c.kill().catch(() => {});
});

async function serve(root: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<ChildServer> {
  const s = await startChildServer(root, ['--workers', '1', ...args], env);
  children.push(s);
  return s;
}

describe('dream serve restarts', () => {
  it('resumes a dream whose server was killed with SIGKILL mid-run, and it completes', async () => {
    const root = await tempRoot();
    const logs = await writeLogs(await mkdtemp(join(tmpdir(), 'dw-logs-')), 48, 3000);
    const first = await serve(root);
    const c1 = client(first);
    const ids = await importAll(first.url, logs);
    const store = await c1.beta.memoryStores.create({ name: 'ci memory' });
    const dream = await c1.beta.dreams.create({ inputs: [{ type: 'memory_store', memory_store_id: store.id }, { type: 'sessions', session_ids: ids }], model: 'local' });
    await waitFor(async () => ((await c1.beta.dreams.retrieve(dream.id)).status === 'running' ? true : undefined), 60_000, 'running');
    await first.kill();

    const second = await serve(root);
    const c2 = client(second);
    const done = await settle(c2, dream.id);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    const types = await eventTypes(c2, done.session_id!);
    // Two starts in its own log: the killed run and the resumed one.
    expect(types.filter((t) => t === 'dream.running').length).toBe(2);
    const out = done.outputs[0]!.memory_store_id;
    const paths: string[] = [];
    for await (const m of c2.beta.memoryStores.memories.list(out)) if (m.type === 'memory') paths.push(m.path);
    expect(paths).toContain('/README.md');
  }, 240_000);

  it('on SIGTERM leaves the running dream resumable (not failed) and the next start finishes it', async () => {
    const root = await tempRoot();
    const logs = await writeLogs(await mkdtemp(join(tmpdir(), 'dw-logs-')), 48, 3000);
    const first = await serve(root);
    const c1 = client(first);
    const ids = await importAll(first.url, logs);
    const store = await c1.beta.memoryStores.create({ name: 'ci memory' });
    const dream = await c1.beta.dreams.create({ inputs: [{ type: 'memory_store', memory_store_id: store.id }, { type: 'sessions', session_ids: ids }], model: 'local' });
    await waitFor(async () => ((await c1.beta.dreams.retrieve(dream.id)).status === 'running' ? true : undefined), 60_000, 'running');
    await first.stop();
    expect(first.child.exitCode).toBe(0);

    const second = await serve(root);
    const c2 = client(second);
    const midway = await c2.beta.dreams.retrieve(dream.id);
    expect(midway.status).not.toBe('failed');
    expect((await settle(c2, dream.id)).status).toBe('completed');
  }, 240_000);
});

const INPUTS = ['examples/sessions/ci/run-102.log', 'examples/sessions/agent/2026-11-06-migrate-orders.jsonl'].map((f) => join(REPO, f));
const USAGE = { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 50, cache_read_input_tokens: 400 };
const systemOf = (r: RecordedRequest) => ((r.body.system as { text: string }[] | undefined) ?? []).map((b) => b.text).join('\n');
const userOf = (r: RecordedRequest) => JSON.stringify(r.body.messages);
const toolOf = (r: RecordedRequest) => (r.body.tool_choice as { name: string }).name;

/** Answers like the real agents would (as in test/e2e/claude-dream.test.ts). */
function agentResponder(req: RecordedRequest): Step {
  if (toolOf(req) === 'record_grades') {
    const ids = [...userOf(req).matchAll(/### ([a-z0-9-]+): /g)].map((m) => m[1]!);
    return { body: toolUseResponse('record_grades', { criteria: ids.map((id) => ({ id, status: 'passed', explanation: 'fine', gaps: [] })) }, USAGE) };
  }
  if (/You analyse CI and build logs/.test(systemOf(req))) {
    const finding = { kind: 'failure', key: 'npm ERESOLVE', title: '`npm ci` fails with ERESOLVE', body: 'Pin react-dom or upgrade react.', value: null, confidence: 0.9, evidence: [{ event_id: null, lines: [7, 7], quote: 'npm ERR! ERESOLVE unable to resolve dependency tree' }] };
    return { body: toolUseResponse('record_findings', { findings: [finding] }, USAGE) };
  }
  const failed = /\[(sevt_\w+)\] tool FAILED/.exec(userOf(req))![1]!;
  const finding = { kind: 'workaround', key: 'psycopg missing', title: 'Run scripts/migrate.py with uv run', body: 'Plain python lacks psycopg; `uv run python scripts/migrate.py` works.', value: null, confidence: 0.8, evidence: [{ event_id: failed, lines: null, quote: "No module named 'psycopg'" }] };
  return { body: toolUseResponse('record_findings', { findings: [finding] }, USAGE) };
}

describe('dream serve with a claude model', () => {
  let fake: FakeMessagesServer | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  it('runs a claude-… dream against the Messages API the server is configured with, counting usage', async () => {
    fake = await new FakeMessagesServer().start();
    fake.respond(agentResponder);
    const s = await serve(await tempRoot(), [], { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url });
    const c = client(s);
    const ids = await importAll(s.url, INPUTS);
    const store = await c.beta.memoryStores.create({ name: 'agent memory' });
    const dream = await c.beta.dreams.create({ inputs: [{ type: 'memory_store', memory_store_id: store.id }, { type: 'sessions', session_ids: ids }], model: 'claude-sonnet-4-5' });
    const done = await settle(c, dream.id);
    expect(done.status, JSON.stringify(done.error)).toBe('completed');
    expect(done.model.id).toBe('claude-sonnet-4-5');
    expect(done.usage.input_tokens).toBeGreaterThanOrEqual(2000);
    expect(done.usage.output_tokens).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.body.model === 'claude-sonnet-4-5')).toBe(true);
    fake.assertDone();
  }, 120_000);

  it('fails a claude dream left running by a killed server with server_restarted when the new server has no key', async () => {
    fake = await new FakeMessagesServer().start();
    // Slow answers keep the dream running until the kill.
    fake.respond((req) => ({ ...agentResponder(req), delayMs: 30_000 }));
    const root = await tempRoot();
    const first = await serve(root, [], { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url });
    const c1 = client(first);
    const ids = await importAll(first.url, INPUTS);
    const store = await c1.beta.memoryStores.create({ name: 'agent memory' });
    const dream = await c1.beta.dreams.create({ inputs: [{ type: 'memory_store', memory_store_id: store.id }, { type: 'sessions', session_ids: ids }], model: 'claude-sonnet-4-5' });
    await waitFor(async () => (fake!.requests.length > 0 ? true : undefined), 60_000, 'a model request');
    await first.kill();

    const second = await serve(root);
    const failed = await settle(client(second), dream.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ type: 'server_restarted' });
    expect(failed.error!.message).toMatch(/ANTHROPIC_API_KEY/);
    expect(failed.error!.message).toMatch(/no output store was written/);
  }, 120_000);
});
