import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/app/run.ts';
import { runDream } from '../../src/coordinator/run-dream.ts';
import { PermissionError } from '../../src/core/errors.ts';
import { DreamRepo } from '../../src/dreams/repo.ts';
import { setTier } from '../../src/review-actions/set-tier.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { caught, tierFixture } from './helpers.ts';

const LOGS = ['examples/sessions/ci/run-101.log', 'examples/sessions/ci/run-102.log'];

describe('tiers: dreams read trusted stores and never write them', () => {
  it('refuses update_existing on a project store before any work; create_new from it is fine', async () => {
    const fx = await tierFixture();
    const proj = await fx.store('proj', 'project');
    const sessions = (await importSessions(fx.paths, LOGS, { workers: 1 })).imported.map((s) => s.id);
    const config = await buildRunConfig({ inputs: [], workers: 1 });
    const dreams = new DreamRepo(fx.paths);
    const before = await fx.hash(proj);
    const req = { memory_store_id: proj, session_ids: sessions, instructions: null, model: 'local', config };
    const e = await caught(dreams.create({ ...req, output_behavior: 'update_existing' }));
    expect(e).toBeInstanceOf(PermissionError);
    expect(e.code).toBe('store_read_only_tier');
    expect(e.message).toContain('update_existing');
    expect(await dreams.list()).toEqual([]);

    const created = await dreams.create({ ...req, output_behavior: 'create_new' });
    const done = await runDream(fx.paths, created.id);
    expect(done.status).toBe('completed');
    expect(done.outputs[0]!.memory_store_id).not.toBe(proj);
    expect(await fx.hash(proj)).toEqual(before);
  });

  it('fails a dream whose store became trusted while it ran, and leaves the store untouched', async () => {
    const fx = await tierFixture();
    const work = await fx.store('work', 'working');
    const sessions = (await importSessions(fx.paths, LOGS, { workers: 1 })).imported.map((s) => s.id);
    const config = await buildRunConfig({ inputs: [], workers: 1 });
    const dreams = new DreamRepo(fx.paths);
    const created = await dreams.create({ memory_store_id: work, session_ids: sessions, instructions: null, model: 'local', output_behavior: 'update_existing', config });
    await setTier(fx.paths, work, 'project', { reviewer: 'admin', note: 'now trusted' });
    const before = await fx.hash(work);
    const done = await runDream(fx.paths, created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ type: 'store_read_only_tier' });
    expect(await fx.hash(work)).toEqual(before);
  });
});
