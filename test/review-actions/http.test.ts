import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDreams } from '../../src/app/run.ts';
import { RootPaths } from '../../src/core/root.ts';
import { diffStores } from '../../src/memory/diff.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import type { Preview } from '../../src/review-actions/preview.ts';
import type { ReviewRecord } from '../../src/review-actions/schema.ts';
import { setTier } from '../../src/review-actions/set-tier.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

type PreviewResponse = Preview & { type: 'review_preview' };
/** The API error's own message and code, as the server sent them. */
function apiError(e: unknown): { type: string; message: string; code: string } {
  return ((e as InstanceType<typeof Anthropic.APIError>).error as { error: { type: string; message: string; code: string } }).error;
}

interface Page<T> {
  data: T[];
  next_page: string | null;
}

/** The review endpoints through the official SDK's generic get/post, so its error classes apply. */
describe('dream serve: /v1/review', () => {
  let t: TestServer;
  let repo: MemoryStoreRepo;
  beforeAll(async () => {
    t = await startTestServer();
    repo = new MemoryStoreRepo(new RootPaths(t.root));
  });
  afterAll(async () => {
    await t.close();
  });

  async function stores(): Promise<{ work: string; proj: string }> {
    const mems = t.client.beta.memoryStores.memories;
    const work = (await t.client.beta.memoryStores.create({ name: 'dream output' })).id;
    const proj = (await t.client.beta.memoryStores.create({ name: 'project' })).id;
    await mems.create(work, { path: '/facts/a.md', content: 'A\n' });
    await mems.create(work, { path: '/playbooks/npm.md', content: 'retry with --legacy-peer-deps\n' });
    await mems.create(proj, { path: '/facts/a.md', content: 'old A\n' });
    await setTier(new RootPaths(t.root), proj, 'project', { reviewer: 'admin', note: 'trusted' });
    return { work, proj };
  }

  it('previews a promotion, applies exactly it, and lists the record', async () => {
    const { work, proj } = await stores();
    const before = await repo.snapshot(proj);
    const preview = await t.client.get<PreviewResponse>('/v1/review/preview/promote', { query: { from: work, to: proj, paths: ['/facts/a.md', '/playbooks/'] } });
    expect(preview).toMatchObject({ type: 'review_preview', action: 'promote', memory_store_id: proj, tier: 'project', paths: ['/facts/a.md', '/playbooks/'], summary: { added: 1, changed: 1, removed: 0 } });
    const rec = await t.client.post<ReviewRecord>('/v1/review/promote', {
      body: { from: work, to: proj, paths: ['/facts/a.md', '/playbooks/'], reviewer: 'ana', note: 'looks right', expected_state: preview.expected_state },
    });
    expect(rec).toMatchObject({ type: 'review', action: 'promote', reviewer: 'ana', actor: { type: 'user_actor', user_id: 'ana' }, api_key_id: expect.any(String) });
    expect(diffStores(before, await repo.snapshot(proj))).toEqual(preview.changes);
    for await (const v of t.client.beta.memoryStores.memoryVersions.list(proj)) {
      if (rec.version_ids.includes(v.id)) expect(v.created_by).toEqual({ type: 'user_actor', user_id: 'ana' });
    }

    const listed = await t.client.get<Page<ReviewRecord>>('/v1/reviews', { query: { store: proj } });
    expect(listed.data.map((r) => r.action)).toEqual(['promote', 'set_tier']);
    expect(await t.client.get<ReviewRecord>(`/v1/reviews/${rec.id}`)).toEqual(rec);

    // The same token again: the store moved, so 409 review_stale (the SDK's ConflictError).
    const stale = await t.client
      .post('/v1/review/promote', { body: { from: work, to: proj, paths: ['/facts/a.md', '/playbooks/'], reviewer: 'ana', note: 'again', expected_state: preview.expected_state } })
      .then(() => undefined, (e: unknown) => e);
    expect(stale).toBeInstanceOf(Anthropic.ConflictError);
    expect(apiError(stale)).toMatchObject({ type: 'conflict_error', code: 'review_stale' });
    expect(apiError(stale).message).toContain('preview again');
  });

  it('rolls back over HTTP to the state before a review', async () => {
    const { work, proj } = await stores();
    const before = await repo.snapshot(proj);
    const p = await t.client.get<PreviewResponse>('/v1/review/preview/promote', { query: { from: work, to: proj } });
    const rec = await t.client.post<ReviewRecord>('/v1/review/promote', { body: { from: work, to: proj, reviewer: 'ana', note: 'all of it', expected_state: p.expected_state } });
    const r = await t.client.get<PreviewResponse>('/v1/review/preview/rollback', { query: { store: proj, to_review: rec.id } });
    expect(r.summary).toEqual({ added: 0, changed: 1, removed: 1 });
    const back = await t.client.post<ReviewRecord>('/v1/review/rollback', { body: { store: proj, to_review: rec.id, reviewer: 'bo', note: 'too early', expected_state: r.expected_state } });
    expect(back.action).toBe('rollback');
    expect(await repo.snapshot(proj)).toEqual(before);
    const bySeq = await t.client.get<PreviewResponse>('/v1/review/preview/rollback', { query: { store: proj, to_seq: 0 } });
    expect(bySeq.summary.removed).toBe(1);
  });

  it("approves and rejects a dream's output over HTTP", async () => {
    const { final } = await runDreams(new RootPaths(t.root), { inputs: ['examples/sessions/ci/run-101.log'], workers: 1 });
    const output = final.outputs[0]!.memory_store_id;
    const p = await t.client.get<PreviewResponse>('/v1/review/preview/approve', { query: { dream_id: final.id } });
    expect(p).toMatchObject({ action: 'approve', dream_id: final.id, memory_store_id: output, tier: 'working' });
    expect(p.changes.length).toBeGreaterThan(0);
    const approved = await t.client.post<ReviewRecord>('/v1/review/approve', { body: { dream_id: final.id, reviewer: 'ana', note: 'good', expected_state: p.expected_state } });
    expect(approved).toMatchObject({ action: 'approve', dream_id: final.id });
    expect(approved.version_ids).toHaveLength(1);
    const r = await t.client.get<PreviewResponse>('/v1/review/preview/reject', { query: { dream_id: final.id } });
    expect(r.effect).toContain('archives');
    const rejected = await t.client.post<ReviewRecord>('/v1/review/reject', { body: { dream_id: final.id, reviewer: 'bo', note: 'no', expected_state: r.expected_state } });
    expect(rejected.archived_store).toBe(true);
    expect((await t.client.beta.memoryStores.retrieve(output)).archived_at).not.toBeNull();
    const listed = await t.client.get<Page<ReviewRecord>>('/v1/reviews', { query: { dream_id: final.id, limit: 1 } });
    expect(listed.data.map((x) => x.id)).toEqual([rejected.id]);
    expect(listed.next_page).not.toBeNull();
  });

  it('answers bad input with the API error shape: 400, 404, and 401 without a key', async () => {
    const { work, proj } = await stores();
    const err = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as InstanceType<typeof Anthropic.APIError>);
    const noReviewer = await err(t.client.post('/v1/review/promote', { body: { from: work, to: proj, note: 'x', expected_state: 'x' } }));
    expect(noReviewer).toBeInstanceOf(Anthropic.BadRequestError);
    expect(apiError(noReviewer)).toMatchObject({ code: 'missing_reviewer', message: 'reviewer: required: the name of the person making this review' });
    const unknownField = await err(t.client.post('/v1/review/promote', { body: { from: work, to: proj, reviewer: 'a', note: 'n', expected_state: 'x', force: true } }));
    expect(unknownField).toBeInstanceOf(Anthropic.BadRequestError);
    expect(await err(t.client.get('/v1/review/preview/promote', { query: { from: work, to: 'memstore_doesnotexist00' } }))).toBeInstanceOf(Anthropic.NotFoundError);
    const badPath = await err(t.client.get('/v1/review/preview/promote', { query: { from: work, to: proj, paths: ['/nope.md'] } }));
    expect(apiError(badPath)).toMatchObject({ code: 'promote_unknown_path', message: `paths: "/nope.md" matches no memory in ${work} or ${proj}` });
    expect(await err(t.client.get('/v1/reviews/rev_doesnotexist0000'))).toBeInstanceOf(Anthropic.NotFoundError);
    expect(await err(t.client.get('/v1/review/preview/approve', { query: { dream_id: 'drm_doesnotexist0000' } }))).toBeInstanceOf(Anthropic.NotFoundError);
    // A working store as target is a 400 naming the rule; a trusted store as source too.
    expect(apiError(await err(t.client.get('/v1/review/preview/promote', { query: { from: proj, to: work } }))).code).toBe('promote_source_trusted');
    const res = await fetch(`${t.server.url}/v1/reviews`);
    expect(res.status).toBe(401);
  });
});
