import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/core/errors.ts';
import { diffStores } from '../../src/memory/diff.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { applyPromote, planPromote } from '../../src/review-actions/promote.ts';
import { getReview, listReviews } from '../../src/review-actions/records.ts';
import { setTier } from '../../src/review-actions/set-tier.ts';
import { agent, caught, tierFixture } from '../tiers/helpers.ts';

const ana = { reviewer: 'ana', note: 'reviewed the npm failures' };

async function setup() {
  const fx = await tierFixture();
  const proj = await fx.store('proj', 'project', { '/facts/a.md': 'A\n', '/facts/old.md': 'old\n', '/readme.md': 'project\n' });
  // A dream's output: a.md changed, old.md gone, two new memories.
  const work = await fx.store('work', 'working', { '/facts/a.md': 'A, revised\n', '/facts/new.md': 'new\n', '/playbooks/npm.md': 'retry\n', '/readme.md': 'project\n' });
  return { fx, proj, work };
}

describe('promote', () => {
  it('writes exactly the previewed change into the trusted store, attributed to the reviewer, with a record', async () => {
    const { fx, proj, work } = await setup();
    const before = await fx.repo.snapshot(proj);
    const plan = await planPromote(fx.paths, { from: work, to: proj });
    expect(plan.preview.summary).toEqual({ added: 2, changed: 1, removed: 1 });
    expect(plan.preview.changes.map((c) => [c.path, c.status])).toEqual([
      ['/facts/a.md', 'changed'],
      ['/facts/new.md', 'added'],
      ['/facts/old.md', 'removed'],
      ['/playbooks/npm.md', 'added'],
    ]);
    expect(plan.preview.changes[0]!.unified).toContain('-A\n+A, revised');
    expect(await fx.repo.snapshot(proj)).toEqual(before); // a preview changes nothing

    const rec = await applyPromote(fx.paths, { from: work, to: proj, expected_state: plan.preview.expected_state }, ana);
    const after = await fx.repo.snapshot(proj);
    expect(after).toEqual(await fx.repo.snapshot(work));
    // The applied change is the previewed one, diff for diff.
    expect(diffStores(before, after)).toEqual(plan.preview.changes);

    expect(rec).toMatchObject({
      type: 'review',
      action: 'promote',
      reviewer: 'ana',
      note: ana.note,
      actor: { type: 'user_actor', user_id: 'ana' },
      memory_store_id: proj,
      from_memory_store_id: work,
      paths: null,
      api_key_id: null,
      changes: plan.preview.changes.map((c) => ({ path: c.path, status: c.status })),
    });
    expect(await getReview(fx.paths, rec.id)).toEqual(rec);
    const versions = (await fx.repo.listVersions(proj)).filter((v) => rec.version_ids.includes(v.id));
    expect(versions).toHaveLength(4);
    for (const v of versions) expect(v.created_by).toEqual({ type: 'user_actor', user_id: 'ana' });
    expect(versions.map((v) => `${v.operation} ${v.path}`).sort()).toEqual(['created /facts/new.md', 'created /playbooks/npm.md', 'deleted /facts/old.md', 'modified /facts/a.md']);
    expect((await listReviews(fx.paths, { store: work }))[0]!.id).toBe(rec.id);
    // Still read-only to everyone else afterwards.
    expect((await caught(fx.repo.createMemory(proj, { path: '/x.md', content: 'x' }, agent))).code).toBe('store_read_only_tier');
  });

  it('promotes only the selected paths and folders; a selected path gone from the source is removed', async () => {
    const { fx, proj, work } = await setup();
    const plan = await planPromote(fx.paths, { from: work, to: proj, paths: ['/playbooks/', '/facts/old.md'] });
    expect(plan.preview.changes.map((c) => [c.path, c.status])).toEqual([
      ['/facts/old.md', 'removed'],
      ['/playbooks/npm.md', 'added'],
    ]);
    const rec = await applyPromote(fx.paths, { from: work, to: proj, paths: ['/playbooks/', '/facts/old.md'], expected_state: plan.preview.expected_state }, ana);
    expect(rec.paths).toEqual(['/facts/old.md', '/playbooks/']);
    expect(await fx.repo.snapshot(proj)).toEqual([
      { path: '/facts/a.md', content: 'A\n' },
      { path: '/playbooks/npm.md', content: 'retry\n' },
      { path: '/readme.md', content: 'project\n' },
    ]);
  });

  it('refuses a stale preview with 409 review_stale: target changed, source changed, or another selection', async () => {
    const { fx, proj, work } = await setup();
    const plan = await planPromote(fx.paths, { from: work, to: proj, paths: ['/facts/new.md'] });
    const token = plan.preview.expected_state;

    // Another selection than the one previewed.
    const other = await caught(applyPromote(fx.paths, { from: work, to: proj, paths: ['/facts/a.md'], expected_state: token }, ana));
    expect(other).toBeInstanceOf(ConflictError);
    expect(other.code).toBe('review_stale');

    // The source moved.
    await fx.repo.updateMemory(work, (await fx.repo.getMemoryByPath(work, '/facts/new.md')).id, { content: 'newer\n' }, agent);
    expect((await caught(applyPromote(fx.paths, { from: work, to: proj, paths: ['/facts/new.md'], expected_state: token }, ana))).code).toBe('review_stale');

    // The target moved (another reviewed promotion landed first).
    const fresh = await planPromote(fx.paths, { from: work, to: proj, paths: ['/facts/new.md'] });
    const first = await planPromote(fx.paths, { from: work, to: proj, paths: ['/playbooks/npm.md'] });
    await applyPromote(fx.paths, { from: work, to: proj, paths: ['/playbooks/npm.md'], expected_state: first.preview.expected_state }, ana);
    const before = await fx.hash(proj);
    const e = await caught(applyPromote(fx.paths, { from: work, to: proj, paths: ['/facts/new.md'], expected_state: fresh.preview.expected_state }, ana));
    expect(e.code).toBe('review_stale');
    expect(e.status).toBe(409);
    expect(e.message).toContain('preview again');
    expect(await fx.hash(proj)).toEqual(before);
  });

  it('refuses bad input with errors naming the field', async () => {
    const { fx, proj, work } = await setup();
    const token = (await planPromote(fx.paths, { from: work, to: proj })).preview.expected_state;
    const go = (req: Record<string, unknown>, who: Record<string, unknown> = ana) =>
      caught(applyPromote(fx.paths, { from: work, to: proj, expected_state: token, ...req }, who as typeof ana));

    expect((await go({ to: 'memstore_doesnotexist00' })).status).toBe(404);
    expect((await go({ from: 'not-an-id' })).message).toBe('from: "not-an-id" is not a valid memstore_… id');
    expect((await go({ to: work })).code).toBe('promote_same_store');
    expect((await go({ paths: ['/nope.md'] })).message).toBe(`paths: "/nope.md" matches no memory in ${work} or ${proj}`);
    expect((await go({ paths: ['relative'] })).code).toBe('invalid_memory_path');
    expect((await go({ paths: [] })).code).toBe('invalid_promote_paths');
    expect((await go({}, { reviewer: undefined, note: 'x' })).message).toBe('reviewer: required: the name of the person making this review');
    expect((await go({}, { reviewer: 'ana', note: '  ' })).code).toBe('missing_note');
    expect((await go({ expected_state: undefined })).code).toBe('missing_expected_state');

    const other = await fx.store('other', 'working');
    expect((await go({ to: other })).code).toBe('promote_target_not_trusted');
    const org = await fx.store('org', 'org');
    expect((await caught(planPromote(fx.paths, { from: proj, to: org }))).code).toBe('promote_source_trusted');

    // Nothing to do is said, not recorded.
    const same = await fx.store('same', 'working', { '/facts/a.md': 'A\n', '/facts/old.md': 'old\n', '/readme.md': 'project\n' });
    const noop = await planPromote(fx.paths, { from: same, to: proj });
    expect(noop.preview.changes).toEqual([]);
    expect((await caught(applyPromote(fx.paths, { from: same, to: proj, expected_state: noop.preview.expected_state }, ana))).code).toBe('review_no_changes');
    expect((await listReviews(fx.paths)).filter((r) => r.action !== 'set_tier')).toEqual([]);
  });

  it('is refused into an archived store, and a working store can be promoted into once it is made trusted', async () => {
    const fx = await tierFixture();
    const work = await fx.store('work', 'working');
    const target = await fx.store('target', 'working', {});
    await setTier(fx.paths, target, 'org', { reviewer: 'admin', note: 'org store' });
    const plan = await planPromote(fx.paths, { from: work, to: target });
    await applyPromote(fx.paths, { from: work, to: target, expected_state: plan.preview.expected_state }, ana);
    expect(await fx.repo.snapshot(target)).toEqual(await fx.repo.snapshot(work));
    await new MemoryStoreRepo(fx.paths, { privileged: true }).archiveStore(target);
    await fx.repo.createMemory(work, { path: '/facts/c.md', content: 'C\n' }, agent);
    const again = await planPromote(fx.paths, { from: work, to: target });
    expect((await caught(applyPromote(fx.paths, { from: work, to: target, expected_state: again.preview.expected_state }, ana))).code).toBe('store_archived');
  });
});
