import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { DreamRepo } from '../../src/dreams/repo.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { buildRunConfig } from '../../src/app/run.ts';
import { runDream } from '../../src/coordinator/run-dream.ts';
import { REPO, tempRoot } from '../helpers/cli.ts';

async function setup() {
  const paths = new RootPaths(await tempRoot());
  const stores = new MemoryStoreRepo(paths);
  const store = await stores.createStore({ name: 'working' });
  const report = await importSessions(paths, [join(REPO, 'examples/sessions/ci/*.log')]);
  const sessions = report.imported.map((s) => s.id);
  const config = await buildRunConfig({ inputs: [], workers: 1 });
  return { paths, stores, store: store.id, sessions, config, repo: new DreamRepo(paths) };
}

describe('dream records', () => {
  it('creates a pending dream in the API shape, with its own session id', async () => {
    const { repo, store, sessions, config } = await setup();
    const d = await repo.create({ memory_store_id: store, session_ids: sessions, instructions: null, model: 'local', output_behavior: 'create_new', config });
    expect(d).toMatchObject({ type: 'dream', status: 'pending', archived_at: null, outputs: [], error: null, model: { id: 'local' } });
    expect(d.session_id).toMatch(/^sesn_/);
    expect(await repo.get(d.id)).toEqual(d);
  });

  it('refuses unknown sessions and stores by id', async () => {
    const { repo, store, sessions, config } = await setup();
    await expect(
      repo.create({ memory_store_id: store, session_ids: [...sessions, 'sesn_0000000000000000000000zz'], instructions: null, model: 'local', output_behavior: 'create_new', config }),
    ).rejects.toThrow('session "sesn_0000000000000000000000zz" not found');
    await expect(
      repo.create({ memory_store_id: 'memstore_0000000000000000000000zz', session_ids: sessions, instructions: null, model: 'local', output_behavior: 'create_new', config }),
    ).rejects.toThrow('memory store "memstore_0000000000000000000000zz" not found');
  });

  it('lets only one update_existing dream hold a store, and releases it when the dream ends', async () => {
    const { paths, repo, store, sessions, config, stores } = await setup();
    const req = { memory_store_id: store, session_ids: sessions, instructions: null, model: 'local', output_behavior: 'update_existing' as const, config };
    const first = await repo.create(req);
    await expect(repo.create(req)).rejects.toMatchObject({ code: 'target_store_held', status: 409, type: 'conflict_error' });
    // create_new dreams may read the same store meanwhile.
    await expect(repo.create({ ...req, output_behavior: 'create_new' })).resolves.toMatchObject({ status: 'pending' });
    const done = await runDream(paths, first.id);
    expect(done.status).toBe('completed');
    expect(done.outputs).toEqual([{ type: 'memory_store', memory_store_id: store }]);
    expect((await stores.snapshot(store)).some((m) => m.path.startsWith('/failures/'))).toBe(true);
    await expect(repo.create(req)).resolves.toMatchObject({ status: 'pending' });
  });

  it('cancels idempotently and archives only final dreams', async () => {
    const { repo, store, sessions, config } = await setup();
    const d = await repo.create({ memory_store_id: store, session_ids: sessions, instructions: null, model: 'local', output_behavior: 'create_new', config });
    await expect(repo.archive(d.id)).rejects.toThrow(/only completed, failed or canceled/);
    const canceled = await repo.cancel(d.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.ended_at).not.toBeNull();
    expect(await repo.cancel(d.id)).toEqual(canceled);
    const archived = await repo.archive(d.id);
    expect(archived.archived_at).not.toBeNull();
    expect(archived.status).toBe('canceled');
    expect((await repo.list()).map((x) => x.id)).not.toContain(d.id);
    expect((await repo.list({ include_archived: true })).map((x) => x.id)).toContain(d.id);
  });
});
