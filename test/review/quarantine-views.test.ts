import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarantineRepo } from '../../src/screening/quarantine.ts';
import { plantedIn } from '../screening/redteam.ts';
import { serverWithQuarantine, type QuarantineFixture } from './fixture.ts';

interface Entry {
  id: string;
  created_at: string;
  path: string;
  memory_store_id: string | null;
  source: { type: string; dream_id?: string };
  flags: { category: string; rule: string; reason: string; line: number; excerpt: string }[];
  content: string;
  sessions: string[];
  evidence: { session_id: string; event_id: string | null; lines: [number, number] | null; quote: string }[];
}
interface Page {
  data: Entry[];
  next_page: string | null;
  prev_page: string | null;
}

/** The quarantine's read endpoints over a dream on the red-team corpus, through the official SDK. */
describe('quarantine views: /v1/review/quarantine', () => {
  let f: QuarantineFixture;
  let all: Entry[];
  const get = <T>(path: string, query?: Record<string, unknown>) => f.t.client.get<T>(path, query ? { query } : {});

  beforeAll(async () => {
    f = await serverWithQuarantine();
    all = (await get<Page>('/v1/review/quarantine', { dream_id: f.dream.id, limit: 100 })).data;
  });
  afterAll(async () => {
    await f?.t.close();
  });

  it('needs the API key like the rest of /v1', async () => {
    const wrong = new Anthropic({ baseURL: f.t.server.url, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.get('/v1/review/quarantine')).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    await expect(wrong.get(`/v1/review/quarantine/${all[0]!.id}`)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("lists a dream's quarantined writes, newest first, with flags, sessions and evidence", async () => {
    const repo = await new QuarantineRepo(f.paths).list({ dream: f.dream.id });
    expect(all.map((e) => e.id).sort()).toEqual(repo.map((e) => e.id).sort());
    expect(all.length).toBeGreaterThanOrEqual(5);
    const times = all.map((e) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    for (const e of all) {
      expect(e.source).toMatchObject({ type: 'dream', dream_id: f.dream.id });
      expect(e.memory_store_id).toBe(f.output);
      expect(e.flags.length).toBeGreaterThan(0);
      expect(e.flags.every((x) => x.reason && x.rule && x.line > 0)).toBe(true);
      expect(e.evidence.length).toBeGreaterThan(0);
      // Excerpts spell hidden characters out and the content is redacted: no secret leaves.
      expect(plantedIn({ [e.id]: JSON.stringify(e) }).filter((p) => p.includes('secret'))).toEqual([]);
    }
    const rules = new Set(all.flatMap((e) => e.flags.map((x) => x.rule)));
    for (const r of ['override_instructions', 'zero_width', 'base64_blob', 'exfiltration', 'tag_characters']) expect(rules).toContain(r);
  });

  it('filters by store and by dream, and pages with the API envelope', async () => {
    const byStore = await get<Page>('/v1/review/quarantine', { memory_store_id: f.output, limit: 100 });
    expect(byStore.data.map((e) => e.id)).toEqual(all.map((e) => e.id));
    const elsewhere = await get<Page>('/v1/review/quarantine', { dream_id: 'drm_doesnotexist00' });
    expect(elsewhere).toEqual({ data: [], next_page: null, prev_page: null });
    const first = await get<Page>('/v1/review/quarantine', { limit: 2 });
    expect(first.data.map((e) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    expect(first.next_page).not.toBeNull();
    const second = await get<Page>('/v1/review/quarantine', { limit: 2, page: first.next_page });
    expect(second.data.map((e) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));
    expect(second.prev_page).not.toBeNull();
  });

  it('returns one entry with its refused content and the session lines it cites', async () => {
    const e = all.find((x) => x.flags.some((fl) => fl.rule === 'override_instructions') && x.evidence.some((ev) => ev.lines))!;
    const one = await get<Entry>(`/v1/review/quarantine/${e.id}`);
    expect(one).toEqual(e);
    expect(one.content).toMatch(/previous instructions/i);
    const cited = one.evidence.find((ev) => ev.lines !== null)!;
    const lines = await get<{ highlight: [number, number] | null }>(`/v1/review/sessions/${cited.session_id}/lines`, {
      start: cited.lines![0],
      end: cited.lines![1],
    });
    expect(lines.highlight).toEqual(cited.lines);
  });

  it('answers 404 for an unknown entry and 400 for a malformed filter, in the API error shape', async () => {
    await expect(get('/v1/review/quarantine/qrn_doesnotexist00')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    await expect(get('/v1/review/quarantine/not-an-id')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const bad = get('/v1/review/quarantine', { dream_id: '../etc' });
    await expect(bad).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(bad).rejects.toThrow(/dream_id/);
    await expect(get('/v1/review/quarantine', { memory_store_id: 'x' })).rejects.toThrow(/memory_store_id/);
  });
});
