import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/app/run.ts';
import { RootPaths } from '../../src/core/root.ts';
import { DreamRepo } from '../../src/dreams/repo.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { writeCiLogs } from '../helpers/fixtures.ts';
import { startWatcher, tempDir } from './harness.ts';

describe('Watcher: one dream per store at a time', { timeout: 180_000 }, () => {
  it('waits while another dream holds the store, then dreams', async () => {
    const root = await tempDir('dw-watch-root-');
    const paths = new RootPaths(root);
    const store = await new MemoryStoreRepo(paths).createStore({ name: 'team' });
    // Another update_existing dream holds the store (pending: as if another process runs it).
    const other = await tempDir('dw-watch-other-');
    const imported = await importSessions(paths, await writeCiLogs(other, 1, 15));
    const repo = new DreamRepo(paths);
    const config = await buildRunConfig({ inputs: [], workers: 1 });
    const holder = await repo.create({
      memory_store_id: store.id,
      session_ids: imported.imported.map((s) => s.id),
      instructions: null,
      model: 'local',
      output_behavior: 'update_existing',
      config,
    });

    const dir = await tempDir('dw-watch-in-');
    const { watcher, events } = await startWatcher(root, {
      dirs: [dir],
      every: 1,
      request: { workers: 1, storeId: store.id, outputBehavior: 'update_existing' },
    });
    await writeCiLogs(dir, 1, 25);
    const waiting = await events.nth('waiting');
    expect(waiting.store_id).toBe(store.id);
    expect(waiting.reason).toContain(holder.id);
    await events.nth('waiting', 2); // it keeps waiting rather than failing
    expect(events.of('dream_started')).toHaveLength(0);

    await repo.cancel(holder.id);
    const done = await events.nth('dream_finished');
    expect(done).toMatchObject({ status: 'completed', store_id: store.id, output_store_id: store.id });
    expect(watcher.status().store_id).toBe(store.id); // update_existing: the store stays
    await watcher.stop();
  });

  it('refuses a second watcher with the same name, and two watches on one store take turns', async () => {
    const root = await tempDir('dw-watch-root-');
    const paths = new RootPaths(root);
    const store = await new MemoryStoreRepo(paths).createStore({ name: 'shared' });
    const a = await tempDir('dw-watch-a-');
    const b = await tempDir('dw-watch-b-');
    const one = await startWatcher(root, {
      dirs: [a],
      name: 'one',
      every: 1,
      request: { workers: 1, storeId: store.id },
    });
    await expect(startWatcher(root, { dirs: [b], name: 'one' })).rejects.toMatchObject({
      code: 'watch_running',
    });

    const two = await startWatcher(root, {
      dirs: [b],
      name: 'two',
      every: 1,
      request: { workers: 1, storeId: store.id },
    });
    await writeCiLogs(a, 1, 40);
    await writeCiLogs(b, 2, 41);
    await one.events.nth('dream_finished');
    await two.events.nth('dream_finished');
    // Dreams on the shared store never overlapped in time.
    const spans = [one, two].flatMap(({ events }) =>
      events
        .of('dream_started')
        .filter((s) => s.store_id === store.id)
        .map((s) => {
          const end = events.of('dream_finished').find((f) => f.dream_id === s.dream_id)!;
          return [Date.parse(s.at), Date.parse(end.at)] as const;
        }),
    );
    expect(spans).toHaveLength(2);
    const [x, y] = spans.sort((p, q) => p[0] - q[0]);
    expect(x![1]).toBeLessThanOrEqual(y![0]);
    await one.watcher.stop();
    await two.watcher.stop();
  });
});
