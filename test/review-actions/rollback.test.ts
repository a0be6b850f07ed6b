import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { applyPromote, planPromote } from '../../src/review-actions/promote.ts';
import { applyRollback, planRollback } from '../../src/review-actions/rollback.ts';
import { listReviews } from '../../src/review-actions/records.ts';
import { hashTree } from '../helpers/cli.ts';
import { agent, caught, tierFixture } from '../tiers/helpers.ts';

const ana = { reviewer: 'ana', note: 'promote the fixes' };
const bo = { reviewer: 'bo', note: 'the promotion broke the build playbook' };

async function promoted() {
  const fx = await tierFixture();
  const proj = await fx.store('proj', 'project', { '/facts/a.md': 'A\r\nwith CRLF\r\n', '/facts/old.md': 'old\n', '/ü/naïve.md': 'unicode ✓\n' });
  const work = await fx.store('work', 'working', { '/facts/a.md': 'A, revised\n', '/facts/new.md': 'new\n' });
  const treeBefore = await hashTree(join(fx.root, 'stores', proj, 'tree'));
  const snapBefore = await fx.repo.snapshot(proj);
  const plan = await planPromote(fx.paths, { from: work, to: proj });
  const rev = await applyPromote(fx.paths, { from: work, to: proj, expected_state: plan.preview.expected_state }, ana);
  return { fx, proj, work, rev, treeBefore, snapBefore };
}

describe('rollback', () => {
  it('restores a trusted store byte-identically to its state before a review, as new versions by the reviewer', async () => {
    const { fx, proj, rev, treeBefore, snapBefore } = await promoted();
    const versionsBefore = (await fx.repo.listVersions(proj)).length;
    const plan = await planRollback(fx.paths, { store: proj, to_review: rev.id });
    expect(plan.preview.to_seq).toBe(rev.seq_before);
    expect(plan.preview.changes.map((c) => [c.path, c.status])).toEqual([
      ['/facts/a.md', 'changed'],
      ['/facts/new.md', 'removed'],
      ['/facts/old.md', 'added'],
      ['/ü/naïve.md', 'added'],
    ]);
    const back = await applyRollback(fx.paths, { store: proj, to_review: rev.id, expected_state: plan.preview.expected_state }, bo);
    expect(await hashTree(join(fx.root, 'stores', proj, 'tree'))).toEqual(treeBefore);
    expect(await fx.repo.snapshot(proj)).toEqual(snapBefore);
    expect(back).toMatchObject({ action: 'rollback', reviewer: 'bo', note: bo.note, memory_store_id: proj, to_review_id: rev.id, to_seq: rev.seq_before, state_after: rev.state_before });

    // History only grows: the promotion's versions are still there, the rollback's follow.
    const versions = await fx.repo.listVersions(proj);
    expect(versions.length).toBe(versionsBefore + back.version_ids.length);
    for (const id of rev.version_ids) expect(versions.map((v) => v.id)).toContain(id);
    for (const v of versions.filter((x) => back.version_ids.includes(x.id))) expect(v.created_by).toEqual({ type: 'user_actor', user_id: 'bo' });
    expect((await listReviews(fx.paths, { store: proj })).map((r) => r.action)).toEqual(['rollback', 'promote', 'set_tier']);
  });

  it('rolls back to a version seq, and a rollback can itself be rolled back', async () => {
    const { fx, proj, rev } = await promoted();
    const afterPromote = await fx.repo.snapshot(proj);
    const empty = await planRollback(fx.paths, { store: proj, to_seq: 0 });
    expect(empty.preview.summary.removed).toBe(afterPromote.length);
    const cleared = await applyRollback(fx.paths, { store: proj, to_seq: '0', expected_state: empty.preview.expected_state }, bo);
    expect(await fx.repo.snapshot(proj)).toEqual([]);
    const undo = await planRollback(fx.paths, { store: proj, to_review: cleared.id });
    await applyRollback(fx.paths, { store: proj, to_review: cleared.id, expected_state: undo.preview.expected_state }, ana);
    expect(await fx.repo.snapshot(proj)).toEqual(afterPromote);
    expect(rev.seq_before).toBe(3);
  });

  it('works on a working store too, and refuses a stale preview', async () => {
    const fx = await tierFixture();
    const work = await fx.store('work', 'working');
    await fx.repo.createMemory(work, { path: '/facts/c.md', content: 'C\n' }, agent);
    const plan = await planRollback(fx.paths, { store: work, to_seq: 2 });
    await fx.repo.createMemory(work, { path: '/facts/d.md', content: 'D\n' }, agent);
    expect((await caught(applyRollback(fx.paths, { store: work, to_seq: 2, expected_state: plan.preview.expected_state }, bo))).code).toBe('review_stale');
    const again = await planRollback(fx.paths, { store: work, to_seq: 2 });
    await applyRollback(fx.paths, { store: work, to_seq: 2, expected_state: again.preview.expected_state }, bo);
    expect((await fx.repo.snapshot(work)).map((m) => m.path)).toEqual(['/facts/a.md', '/facts/b.md']);
  });

  it('refuses bad targets with clear errors', async () => {
    const { fx, proj, work, rev } = await promoted();
    const plan = (req: Record<string, unknown>) => caught(planRollback(fx.paths, { store: proj, ...req }));
    expect((await plan({})).code).toBe('invalid_rollback_target');
    expect((await plan({ to_review: rev.id, to_seq: 1 })).code).toBe('invalid_rollback_target');
    expect((await plan({ to_seq: 99 })).message).toBe(`to_seq: 99 is not a version seq of store ${proj} (an integer from 0 to 7)`);
    expect((await plan({ to_seq: -1 })).code).toBe('invalid_rollback_target');
    expect((await plan({ to_review: 'rev_../../x' })).message).toBe('to_review: "rev_../../x" is not a valid rev_… id');
    expect((await plan({ to_review: 'rev_doesnotexist0000' })).status).toBe(404);
    expect((await caught(planRollback(fx.paths, { store: work, to_review: rev.id }))).code).toBe('review_other_store');
    const tierReview = (await listReviews(fx.paths, { store: proj })).find((r) => r.action === 'set_tier')!;
    expect((await plan({ to_review: tierReview.id })).code).toBe('review_wrote_no_versions');
    expect((await caught(planRollback(fx.paths, { store: 'memstore_doesnotexist00', to_seq: 0 }))).status).toBe(404);
    const ok = await planRollback(fx.paths, { store: proj, to_seq: 0 });
    expect((await caught(applyRollback(fx.paths, { store: proj, to_seq: 0, expected_state: ok.preview.expected_state }, { reviewer: 'bo', note: '' }))).code).toBe('missing_note');
  });

  it('refuses to restore content that was redacted since', async () => {
    const fx = await tierFixture();
    const work = await fx.store('work', 'working', { '/secret.md': 'token abc\n' });
    const mem = await fx.repo.getMemoryByPath(work, '/secret.md');
    await fx.repo.updateMemory(work, mem.id, { content: 'token [redacted]\n' }, agent);
    await new MemoryStoreRepo(fx.paths).redactVersion(work, mem.memory_version_id, agent);
    const e = await caught(planRollback(fx.paths, { store: work, to_seq: 1 }));
    expect(e.code).toBe('rollback_redacted');
    expect(e.message).toContain(mem.memory_version_id);
  });
});
