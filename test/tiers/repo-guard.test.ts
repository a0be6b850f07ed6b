import { describe, expect, it } from 'vitest';
import { PermissionError } from '../../src/core/errors.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { listReviews } from '../../src/review-actions/records.ts';
import { setTier } from '../../src/review-actions/set-tier.ts';
import { readTierRecord, TIER_METADATA_KEY } from '../../src/tiers/tier.ts';
import { agent, caught, tierFixture } from './helpers.ts';

describe('tiers: trusted stores are read-only to every ordinary writer', () => {
  it('refuses every write to a project or org store with 403 store_read_only_tier, and touches nothing', async () => {
    const fx = await tierFixture();
    for (const tier of ['project', 'org'] as const) {
      const id = await fx.store(tier, tier);
      const mem = await fx.repo.getMemoryByPath(id, '/facts/a.md');
      const version = (await fx.repo.listVersions(id))[0]!;
      const before = await fx.hash(id);
      const writes: [string, () => Promise<unknown>][] = [
        ['create memory', () => fx.repo.createMemory(id, { path: '/facts/c.md', content: 'C\n' }, agent)],
        ['update memory', () => fx.repo.updateMemory(id, mem.id, { content: 'changed\n' }, agent)],
        ['delete memory', () => fx.repo.deleteMemory(id, mem.id, {}, agent)],
        ['apply snapshot', () => fx.repo.applySnapshot(id, [], agent)],
        ['update store', () => fx.repo.updateStore(id, { name: 'renamed' })],
        ['archive store', () => fx.repo.archiveStore(id)],
        ['delete store', () => fx.repo.deleteStore(id)],
        ['redact version', () => fx.repo.redactVersion(id, version.id, agent)],
      ];
      for (const [what, p] of writes) {
        const e = await caught(p());
        expect(e, what).toBeInstanceOf(PermissionError);
        expect(e.code, what).toBe('store_read_only_tier');
        expect(e.status, what).toBe(403);
        expect(e.message, what).toContain(`${id} is ${tier === 'org' ? 'an' : 'a'} ${tier}-tier store`);
      }
      expect(await fx.hash(id)).toEqual(before);
    }
  });

  it('lets a working store be written as before, and a privileged repo write a trusted one', async () => {
    const fx = await tierFixture();
    const work = await fx.store('work', 'working');
    await fx.repo.createMemory(work, { path: '/facts/c.md', content: 'C\n' }, agent);
    expect((await fx.repo.snapshot(work)).map((m) => m.path)).toEqual(['/facts/a.md', '/facts/b.md', '/facts/c.md']);

    const proj = await fx.store('proj', 'project');
    const privileged = new MemoryStoreRepo(fx.paths, { privileged: true });
    await privileged.createMemory(proj, { path: '/facts/c.md', content: 'C\n' }, { type: 'user_actor', user_id: 'ana' });
    expect((await fx.repo.snapshot(proj)).map((m) => m.path)).toContain('/facts/c.md');
  });

  it('shows a trusted tier as a read-only metadata key that a client cannot set, change or remove', async () => {
    const fx = await tierFixture();
    const proj = await fx.store('proj', 'project');
    const work = await fx.store('work', 'working');
    expect((await fx.repo.getStore(proj)).metadata).toEqual({ [TIER_METADATA_KEY]: 'project' });
    expect((await fx.repo.getStore(work)).metadata).toEqual({});
    const listed = await fx.repo.listStores();
    expect(listed.find((s) => s.id === proj)!.metadata[TIER_METADATA_KEY]).toBe('project');

    // Creating a store "as org" through the API is refused; naming the default tier is harmless.
    const e = await caught(fx.repo.createStore({ name: 'sneaky', metadata: { [TIER_METADATA_KEY]: 'org' } }));
    expect(e.code).toBe('store_tier_not_settable');
    expect(e.status).toBe(403);
    expect(e.message).toContain('dream stores tier');
    expect((await fx.repo.createStore({ name: 'fine', metadata: { [TIER_METADATA_KEY]: 'working', team: 'ci' } })).metadata).toEqual({ team: 'ci' });

    // Raising a working store's tier by a metadata update is refused; sending the key back unchanged is not.
    expect((await caught(fx.repo.updateStore(work, { metadata: { [TIER_METADATA_KEY]: 'project' } }))).code).toBe('store_tier_not_settable');
    expect((await fx.repo.updateStore(work, { metadata: { [TIER_METADATA_KEY]: 'working', owner: 'ana' } })).metadata).toEqual({ owner: 'ana' });
    expect(await readTierRecord(fx.paths.store(work))).toBeUndefined();
  });
});

describe('tiers: dream stores tier (setTier)', () => {
  it('records who set which tier and why, under the store lock; a no-op records nothing', async () => {
    const fx = await tierFixture();
    const id = await fx.store('team', 'working');
    const out = await setTier(fx.paths, id, 'org', { reviewer: 'ana', note: 'company-wide' });
    expect(out.tier).toBe('org');
    expect(out.review).toMatchObject({ action: 'set_tier', reviewer: 'ana', note: 'company-wide', memory_store_id: id, tier: { from: 'working', to: 'org' }, version_ids: [] });
    expect(await readTierRecord(fx.paths.store(id))).toMatchObject({ tier: 'org', set_by: { type: 'user_actor', user_id: 'ana' }, review_id: out.review!.id });
    expect((await setTier(fx.paths, id, 'org', { reviewer: 'ana', note: 'again' })).review).toBeNull();
    const back = await setTier(fx.paths, id, 'working', { reviewer: 'bo', note: 'retired' });
    expect(back.review!.tier).toEqual({ from: 'org', to: 'working' });
    await fx.repo.createMemory(id, { path: '/facts/c.md', content: 'C\n' }, agent);
    expect((await listReviews(fx.paths, { store: id })).map((r) => r.tier)).toEqual([
      { from: 'org', to: 'working' },
      { from: 'working', to: 'org' },
    ]);
  });

  it('refuses a bad tier, a missing reviewer or note, a bad or unknown store', async () => {
    const fx = await tierFixture();
    const id = await fx.store('team', 'working');
    expect((await caught(setTier(fx.paths, id, 'global', { reviewer: 'ana', note: 'x' }))).message).toBe('tier: "global" is not a tier (org, project or working)');
    expect((await caught(setTier(fx.paths, id, 'org', { reviewer: '', note: 'x' }))).code).toBe('missing_reviewer');
    expect((await caught(setTier(fx.paths, id, 'org', { reviewer: 'ana', note: undefined }))).code).toBe('missing_note');
    expect((await caught(setTier(fx.paths, '../etc', 'org', { reviewer: 'ana', note: 'x' }))).code).toBe('invalid_id');
    expect((await caught(setTier(fx.paths, 'memstore_doesnotexist00', 'org', { reviewer: 'ana', note: 'x' }))).status).toBe(404);
    expect(await readTierRecord(fx.paths.store(id))).toBeUndefined();
  });
});
