import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDreams } from '../../src/app/run.ts';
import { RootPaths } from '../../src/core/root.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { setTier } from '../../src/review-actions/set-tier.ts';
import { hashTree, runCli, tempRoot } from '../helpers/cli.ts';

/**
 * The review workflow through the real `dream` CLI. The dream and the stores are set up
 * in-process (each CLI start costs seconds on a loaded machine); the commands under test run as
 * child processes.
 */
async function setup() {
  const root = await tempRoot('dw-review-cli-');
  const paths = new RootPaths(root);
  const { final } = await runDreams(paths, { inputs: ['examples/sessions/ci/run-101.log', 'examples/sessions/ci/run-104.log'], workers: 1 });
  const proj = (await new MemoryStoreRepo(paths).createStore({ name: 'project memory' })).id;
  const ok = async (...args: string[]) => {
    const r = await runCli(args, root);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  return { root, dream: final, out: final.outputs[0]!.memory_store_id, proj, ok, cli: (...args: string[]) => runCli(args, root) };
}

describe('dream promote / rollback / review / reviews / stores tier', () => {
  it('previews without changing anything, applies with --yes, records it, rolls back byte-identically', { timeout: 180_000 }, async () => {
    const { root, dream, out, proj, ok, cli } = await setup();
    expect((await ok('stores', 'tier', proj, 'project', '--reviewer', 'admin', '--note', 'the team store')).stdout).toContain(`${proj}: working → project`);
    expect(JSON.parse((await ok('stores', 'tier', proj, '--json')).stdout)).toMatchObject({ memory_store_id: proj, tier: 'project', set: { tier: 'project' } });
    const store = join(root, 'stores', proj);
    const untouched = await hashTree(store);
    const treeBefore = await hashTree(join(store, 'tree'));

    // Preview: the diff is printed, nothing changes.
    const preview = await ok('promote', out, '--to', proj);
    expect(preview.stdout).toMatch(new RegExp(`^promote ${out} → project store ${proj}: \\d+ added, 0 changed, 0 removed`));
    expect(preview.stdout).toContain('+++ b/');
    expect(preview.stdout).toContain('run again with --yes');
    expect(await hashTree(store)).toEqual(untouched);

    // --yes needs a reviewer and a note.
    const missing = await cli('promote', out, '--to', proj, '--yes', '--note', 'x');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('dream: reviewer: required: the name of the person making this review\n');
    expect(await hashTree(store)).toEqual(untouched);

    expect((await ok('review', 'approve', dream.id, '--reviewer', 'ana', '--note', 'signatures are right')).stdout).toContain('approve by ana');
    const rec = JSON.parse((await ok('promote', out, '--to', proj, '--yes', '--reviewer', 'ana', '--note', 'ship it', '--json')).stdout);
    expect(rec).toMatchObject({ action: 'promote', reviewer: 'ana', note: 'ship it', memory_store_id: proj, from_memory_store_id: out });
    expect(await hashTree(join(store, 'tree'))).toEqual(await hashTree(join(root, 'stores', out, 'tree')));

    const listed = JSON.parse((await ok('reviews', 'list', '--store', proj, '--json')).stdout);
    expect(listed.data.map((r: { action: string }) => r.action)).toEqual(['promote', 'set_tier']);

    const back = await ok('rollback', proj, '--to-review', rec.id, '--yes', '--reviewer', 'bo', '--note', 'not yet');
    expect(back.stdout).toContain(`rollback project store ${proj}: 0 added, 0 changed, ${rec.version_ids.length} removed`);
    expect(await hashTree(join(store, 'tree'))).toEqual(treeBefore);
  });

  it('exits 6 for an unknown store and 7 when promoting a rejected dream output', { timeout: 120_000 }, async () => {
    const { root, dream, out, proj, ok, cli } = await setup();
    await setTier(new RootPaths(root), proj, 'project', { reviewer: 'admin', note: 'trusted' });
    expect((await cli('promote', 'memstore_doesnotexist00', '--to', proj)).code).toBe(6);
    expect((await ok('review', 'reject', dream.id, '--reviewer', 'cy', '--note', 'flaky, not a fix')).stdout).toContain(`archived ${out}`);
    const refused = await cli('promote', out, '--to', proj);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toContain('cannot be promoted');
  });
});
