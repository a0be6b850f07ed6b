import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSessions } from '../../src/sessions/import.ts';
import { TEST_KEY } from '../helpers/server.ts';
import { serverWithDream, type ReviewFixture } from './fixture.ts';

// Shapes as the routes return them (src/review/*.ts); only what the assertions read.
interface Summary {
  dream: { id: string; status: string };
  progress: { batches_total: number | null; batches_done: number; evaluations: number };
}
interface Detail extends Summary {
  sessions: { id: string; title: string | null }[];
  batches: { id: string; done: boolean; findings: number; by_kind: Record<string, number> }[];
  evaluations: { result: string; criteria: { id: string; status: string }[] }[];
  report: string | null;
  input_store: { id: string };
}
interface Change {
  path: string;
  status: string;
  lines: { op: string; old: number | null; new: number | null; text: string }[];
  evidence: { session_id: string; lines: [number, number] | null; event_id: string | null }[];
  superseded: { value: string; new: boolean }[];
}
interface Diff {
  from: { store_id: string };
  to: { kind: string; store_id?: string };
  changes: Change[];
  unchanged: number;
}
interface Lines {
  highlight: [number, number] | null;
  start: number;
  end: number;
  lines: { n: number; text: string }[];
  event: { id: string; source_lines: [number, number] | null } | null;
}

/** The review page's read endpoints, driven through the official SDK's generic get. */
describe('review views: /v1/review/*', () => {
  let f: ReviewFixture;
  let diff: Diff;
  const get = <T>(path: string, query?: Record<string, unknown>) => f.t.client.get<T>(path, query ? { query } : {});

  beforeAll(async () => {
    f = await serverWithDream();
    diff = await get<Diff>(`/v1/review/dreams/${f.dream.id}/diff`);
  });
  afterAll(async () => {
    await f?.t.close();
  });

  it('needs the API key like the rest of /v1', async () => {
    const wrong = new Anthropic({ baseURL: f.t.server.url, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.get('/v1/review/dreams')).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('lists dreams with their progress read from the dream folders', async () => {
    const { data } = await get<{ data: Summary[] }>('/v1/review/dreams');
    expect(data.map((s) => s.dream.id)).toEqual([f.dream.id, f.first.id]);
    expect(data[0]!.progress).toEqual({ batches_total: 2, batches_done: 2, evaluations: 1 });
    expect(data[1]!.progress).toEqual({ batches_total: 1, batches_done: 1, evaluations: 1 });
  });

  it('aggregates one dream: inputs, batches with counts by kind, evaluations, report', async () => {
    const d = await get<Detail>(`/v1/review/dreams/${f.dream.id}`);
    expect(d.input_store.id).toBe(f.input);
    expect(d.sessions).toHaveLength(10);
    expect(d.sessions.every((s) => s.title)).toBe(true);
    expect(d.batches.map((b) => [b.id, b.done])).toEqual([
      ['b0001', true],
      ['b0002', true],
    ]);
    const total = d.batches.reduce((n, b) => n + b.findings, 0);
    expect(d.batches.reduce((n, b) => n + Object.values(b.by_kind).reduce((x, y) => x + y, 0), 0)).toBe(total);
    expect(d.evaluations[0]!.result).toBe('satisfied');
    expect(d.evaluations[0]!.criteria.find((c) => c.id === 'no-secrets')?.status).toBe('passed');
    expect(d.report).toMatch(/^# Dream /);

    const batch = await get<{ findings: unknown[] }>(`/v1/review/dreams/${f.dream.id}/batches/b0002`);
    expect(batch.findings).toHaveLength(d.batches[1]!.findings);
    await expect(get(`/v1/review/dreams/${f.dream.id}/batches/b9999`)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(get(`/v1/review/dreams/${f.dream.id}/batches/b..0001`)).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(get('/v1/review/dreams/drm_nope')).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(get('/v1/review/dreams/drm_000000000000000000000000')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('diffs the output against the input per memory, with line numbers and superseded values', () => {
    expect(diff.from.store_id).toBe(f.input);
    expect(diff.to).toEqual({ kind: 'output_store', store_id: f.output });
    const by = (s: string) => diff.changes.filter((c) => c.status === s).length;
    expect([by('added'), by('changed'), by('removed'), diff.unchanged]).toEqual([9, 4, 0, 1]);
    const fact = diff.changes.find((c) => c.path.startsWith('/facts/fact-staging-database'))!;
    expect(fact.superseded).toEqual([expect.objectContaining({ value: 'db-staging.internal:5432', new: true })]);
    expect(fact.lines[0]).toEqual({ op: 'del', old: 1, new: null, text: '# Fact: staging database is db-staging.internal:5432' });
    expect(fact.lines[1]).toEqual({ op: 'add', old: null, new: 1, text: '# Fact: staging database is db-staging-2.internal:5432' });
    expect(fact.lines[2]).toEqual({ op: 'same', old: 2, new: 2, text: '' });
    expect(fact.evidence[0]).toMatchObject({ lines: [8, 8] });
  });

  it('compares with the input as the dream read it, not as it is now', async () => {
    await f.t.client.beta.memoryStores.memories.create(f.input, { path: '/notes/later.md', content: 'written after the dream\n' });
    const again = await get<Diff>(`/v1/review/dreams/${f.dream.id}/diff`);
    expect(again.changes.map((c) => c.path)).toEqual(diff.changes.map((c) => c.path));
  });

  it('opens the cited session lines with context, by range or by event', async () => {
    const fact = diff.changes.find((c) => c.path.startsWith('/facts/fact-staging-database'))!;
    const ev = fact.evidence[0]!;
    const byRange = await get<Lines>(`/v1/review/sessions/${ev.session_id}/lines`, { start: 8 });
    expect(byRange.highlight).toEqual([8, 8]);
    expect([byRange.start, byRange.end]).toEqual([3, 9]); // 5 lines of context, clipped at the end of the file
    expect(byRange.lines.find((l) => l.n === 8)?.text).toContain('db-staging-2.internal:5432');
    const byEvent = await get<Lines>(`/v1/review/sessions/${ev.session_id}/lines`, { event: ev.event_id, context: 0 });
    expect(byEvent.highlight).toEqual([8, 8]);
    expect(byEvent.lines.map((l) => l.n)).toEqual([8]);
    expect(byEvent.event?.id).toBe(ev.event_id);
  });

  it('refuses a bad range or an unknown session or event, naming the parameter', async () => {
    const sid = diff.changes.find((c) => c.evidence.length > 0)!.evidence[0]!.session_id;
    const bad = async (q: Record<string, unknown>) => (await get(`/v1/review/sessions/${sid}/lines`, q).catch((e: unknown) => e)) as Error;
    expect(await bad({ start: 0 })).toBeInstanceOf(Anthropic.BadRequestError);
    expect((await bad({ start: 0 })).message).toMatch(/start/);
    expect((await bad({ end: 4 })).message).toMatch(/end: given without start/);
    expect((await bad({ start: 5, end: 4 })).message).toMatch(/ends before it starts/);
    expect((await bad({ start: 500 })).message).toMatch(/past the end/);
    expect(await bad({ event: 'sevt_000000000000000000000000' })).toBeInstanceOf(Anthropic.NotFoundError);
    await expect(get('/v1/review/sessions/sesn_000000000000000000000000/lines')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('redacts secrets in the original lines before they leave the server', async () => {
    const file = join(f.t.root, 'deploy.log');
    const token = `ghp_${'A1b2C3d4E5'.repeat(3)}123456`;
    await writeFile(file, `step 1: checkout\nexport GITHUB_TOKEN=${token}\nstep 3: deploy failed\n`);
    const report = await importSessions(f.paths, [file]);
    const id = report.imported[0]!.id;
    const r = await get<Lines>(`/v1/review/sessions/${id}/lines`, { start: 2 });
    expect(r.lines).toHaveLength(3);
    expect(JSON.stringify(r)).not.toContain(token);
    expect(r.lines[1]!.text).toMatch(/\[REDACTED:/);
  });

  it('serves the page itself without a key, with a strict content security policy', async () => {
    for (const path of ['/review', '/review/']) {
      const res = await fetch(`${f.t.server.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(await res.text()).toContain('/review/js/app.js');
    }
    const js = await fetch(`${f.t.server.url}/review/js/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect((await fetch(`${f.t.server.url}/review/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
    expect((await fetch(`${f.t.server.url}/review/js/nope.js`)).status).toBe(404);
    // The data behind it is not public.
    expect((await fetch(`${f.t.server.url}/v1/review/dreams`)).status).toBe(401);
    expect((await fetch(`${f.t.server.url}/v1/review/dreams`, { headers: { 'x-api-key': TEST_KEY } })).status).toBe(200);
  });
});
