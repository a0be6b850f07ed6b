import { describe, expect, it } from 'vitest';
import { buildRunConfig, runDreams } from '../../src/app/run.ts';
import { DreamRepo } from '../../src/dreams/repo.ts';
import { diffStores } from '../../src/memory/diff.ts';
import { applyPromote, planPromote } from '../../src/review-actions/promote.ts';
import { listReviews } from '../../src/review-actions/records.ts';
import { applyVerdict, planVerdict } from '../../src/review-actions/verdict.ts';
import { agent, caught, tierFixture } from '../tiers/helpers.ts';

const LOGS = ['examples/sessions/ci/run-101.log', 'examples/sessions/ci/run-102.log'];
const cy = { reviewer: 'cy', note: 'checked the failure signatures' };

async function dreamed(outputBehavior: 'create_new' | 'update_existing' = 'create_new') {
  const fx = await tierFixture();
  const input = await fx.store('input', 'working', { '/notes/deploy.md': 'Deploy from main.\n' });
  const before = await fx.repo.snapshot(input);
  const { final } = await runDreams(fx.paths, { inputs: LOGS, storeId: input, workers: 1, outputBehavior });
  expect(final.status).toBe('completed');
  return { fx, input, before, dream: final, output: final.outputs[0]!.memory_store_id };
}

describe('approve and reject a dream', () => {
  it("approve: previews the dream's change, records it as one version by the reviewer, with the note", async () => {
    const { fx, input, dream, output } = await dreamed();
    const memoriesBefore = await fx.repo.snapshot(output);
    const plan = await planVerdict(fx.paths, dream.id, 'approve');
    expect(plan.preview.changes).toEqual(diffStores(await fx.repo.snapshot(input), memoriesBefore));
    expect(plan.preview.changes.length).toBeGreaterThan(0);
    expect(plan.preview.effect).toContain(`/reviews/${dream.id}.md`);
    const rec = await applyVerdict(fx.paths, { dream_id: dream.id, expected_state: plan.preview.expected_state }, 'approve', cy);
    expect(rec).toMatchObject({ action: 'approve', dream_id: dream.id, memory_store_id: output, from_memory_store_id: input, reviewer: 'cy', archived_store: false });
    expect(rec.version_ids).toHaveLength(1);
    const version = await fx.repo.getVersion(output, rec.version_ids[0]!);
    expect(version).toMatchObject({ operation: 'created', path: `/reviews/${dream.id}.md`, created_by: { type: 'user_actor', user_id: 'cy' } });
    expect(version.content).toContain('Approved by cy');
    expect(version.content).toContain(`> ${rec.note}`);
    // The dream's own memories are untouched: the verdict is the only addition.
    const after = await fx.repo.snapshot(output);
    expect(after.filter((m) => m.path !== `/reviews/${dream.id}.md`)).toEqual(memoriesBefore);
    expect((await listReviews(fx.paths, { dream: dream.id })).map((r) => r.id)).toEqual([rec.id]);
  });

  it('reject: archives a create_new output so it cannot be promoted; no later verdict', async () => {
    const { fx, dream, output } = await dreamed();
    const proj = await fx.store('proj', 'project', {});
    const plan = await planVerdict(fx.paths, dream.id, 'reject');
    const rec = await applyVerdict(fx.paths, { dream_id: dream.id, expected_state: plan.preview.expected_state }, 'reject', cy);
    expect(rec.archived_store).toBe(true);
    expect((await fx.repo.getStore(output)).archived_at).not.toBeNull();
    const e = await caught(planPromote(fx.paths, { from: output, to: proj }));
    expect(e.code).toBe('store_rejected');
    expect(e.message).toContain(rec.id);
    expect((await caught(planVerdict(fx.paths, dream.id, 'approve'))).code).toBe('dream_already_rejected');
  });

  it('reject of an update_existing dream is a record; the store stays, and its preview is what the dream wrote', async () => {
    const { fx, input, before, dream } = await dreamed('update_existing');
    const plan = await planVerdict(fx.paths, dream.id, 'reject');
    expect(plan.preview.changes).toEqual(diffStores(before, await fx.repo.snapshot(input)));
    const rec = await applyVerdict(fx.paths, { dream_id: dream.id, expected_state: plan.preview.expected_state }, 'reject', cy);
    expect(rec.archived_store).toBe(false);
    expect((await fx.repo.getStore(input)).archived_at).toBeNull();
  });

  it('refuses a stale preview, an unfinished or unknown dream, a missing reviewer', async () => {
    const { fx, dream, output } = await dreamed();
    const plan = await planVerdict(fx.paths, dream.id, 'approve');
    await fx.repo.createMemory(output, { path: '/late.md', content: 'added after the preview\n' }, agent);
    expect((await caught(applyVerdict(fx.paths, { dream_id: dream.id, expected_state: plan.preview.expected_state }, 'approve', cy))).code).toBe('review_stale');
    const fresh = await planVerdict(fx.paths, dream.id, 'approve');
    expect((await caught(applyVerdict(fx.paths, { dream_id: dream.id, expected_state: fresh.preview.expected_state }, 'approve', { reviewer: undefined, note: 'x' }))).code).toBe('missing_reviewer');

    const pending = await new DreamRepo(fx.paths).create({
      memory_store_id: output,
      session_ids: dream.inputs.flatMap((i) => (i.type === 'sessions' ? i.session_ids : [])),
      instructions: null,
      model: 'local',
      output_behavior: 'create_new',
      config: await buildRunConfig({ inputs: [], workers: 1 }),
    });
    expect((await caught(planVerdict(fx.paths, pending.id, 'approve'))).message).toBe(`dream_id: dream ${pending.id} is pending; only a completed dream's output can be approved or rejected`);
    expect((await caught(planVerdict(fx.paths, 'drm_doesnotexist0000', 'approve'))).status).toBe(404);
    expect((await caught(planVerdict(fx.paths, '../x', 'approve'))).code).toBe('invalid_id');
    expect(await listReviews(fx.paths, { dream: dream.id })).toEqual([]);
  });

  it('a dream output, approved, is promoted into the project store and rolled into the record chain', async () => {
    const { fx, dream, output } = await dreamed();
    const proj = await fx.store('proj', 'project', { '/notes/deploy.md': 'Deploy from main.\n' });
    const v = await planVerdict(fx.paths, dream.id, 'approve');
    await applyVerdict(fx.paths, { dream_id: dream.id, expected_state: v.preview.expected_state }, 'approve', cy);
    const p = await planPromote(fx.paths, { from: output, to: proj });
    await applyPromote(fx.paths, { from: output, to: proj, expected_state: p.preview.expected_state }, cy);
    expect(await fx.repo.snapshot(proj)).toEqual(await fx.repo.snapshot(output));
    expect((await listReviews(fx.paths, { store: output })).map((r) => r.action)).toEqual(['promote', 'approve']);
  });
});
