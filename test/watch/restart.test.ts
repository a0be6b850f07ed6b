import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../../src/app/run.ts';
import { RootPaths } from '../../src/core/root.ts';
import { DreamRepo } from '../../src/dreams/repo.ts';
import { writeCiLogs } from '../helpers/fixtures.ts';
import { sleep, startWatcher, tempDir } from './harness.ts';

async function readState(root: string, name = 'default') {
  return JSON.parse(await readFile(join(root, 'watch', `${name}.json`), 'utf8'));
}

describe('Watcher across restarts', { timeout: 180_000 }, () => {
  it('imports nothing twice and still dreams over the sessions left pending', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    const one = await startWatcher(root, { dirs: [dir], every: 10 });
    await writeCiLogs(dir, 3, 20);
    await one.events.nth('imported', 3);
    await one.watcher.stop();
    expect(one.events.of('stopped')[0]?.pending).toBe(3);
    const before = await readState(root);
    expect(before.pending).toHaveLength(3);
    expect(one.events.of('dream_started')).toHaveLength(0);

    // Same files, same state: nothing is imported again; N is now reached, so it dreams at once.
    const two = await startWatcher(root, { dirs: [dir], every: 3 });
    const started = await two.events.nth('dream_started');
    expect(started.session_ids).toEqual(before.pending.map((p: { session_id: string }) => p.session_id));
    expect(started.store_id).toBe(before.store_id);
    expect((await two.events.nth('dream_finished')).status).toBe('completed');
    await sleep(700); // past the settle interval: any re-import would have happened
    expect(two.events.of('imported')).toHaveLength(0);
    await two.watcher.stop();

    // A third start on the chain's newest store; a changed file is imported again, as a new session.
    const after = await readState(root);
    expect(after.pending).toHaveLength(0);
    const three = await startWatcher(root, { dirs: [dir], every: 10 });
    expect((await three.events.nth('ready')).store_id).toBe(after.store_id);
    await writeFile(
      join(dir, 'run-000.log'),
      'npm ERR! code E404\n##[error]Process completed with exit code 1.\n',
    );
    const changed = await three.events.nth('imported');
    expect(changed.path).toBe(join(dir, 'run-000.log'));
    expect(changed.session_id).not.toBe(after.files[join(dir, 'run-000.log')].session_id);
    await sleep(500);
    expect(three.events.of('imported')).toHaveLength(1);
    await three.watcher.stop();
  });

  it('finishes a dream a previous process created but did not see through', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    const one = await startWatcher(root, { dirs: [dir], every: 10 });
    await writeCiLogs(dir, 2, 20);
    await one.events.nth('imported', 2);
    await one.watcher.stop();
    const state = await readState(root);
    const ids = state.pending.map((p: { session_id: string }) => p.session_id);

    // The crash window: the dream exists, the state does not record it (killed before the save).
    const repo = new DreamRepo(new RootPaths(root));
    const config = await buildRunConfig({ inputs: [], workers: 1 });
    const orphan = await repo.create({
      memory_store_id: state.store_id,
      session_ids: ids,
      instructions: null,
      model: 'local',
      output_behavior: 'create_new',
      config,
    });

    const two = await startWatcher(root, { dirs: [dir], every: 10 });
    const started = await two.events.nth('dream_started');
    expect(started).toMatchObject({ dream_id: orphan.id, trigger: 'resume', session_ids: ids });
    const done = await two.events.nth('dream_finished');
    expect(done).toMatchObject({ dream_id: orphan.id, status: 'completed', pending: 0 });
    await two.watcher.stop();
    const after = await readState(root);
    expect(after.store_id).toBe(done.output_store_id);
    expect(after.in_flight).toBeNull();
    expect((await repo.list()).map((d) => d.id)).toEqual([orphan.id]); // no second dream over them
  });

  it('breaks the lock of a watch process that died (kill -9) instead of refusing to start', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    await mkdir(join(root, 'watch'), { recursive: true });
    // pid 2^22 + 1 is above Linux's pid_max: no live process has it.
    await writeFile(
      join(root, 'watch', 'default.lock'),
      JSON.stringify({ pid: 4_194_305, host: hostname() }),
    );
    const { watcher, events } = await startWatcher(root, { dirs: [dir] });
    expect((await events.nth('ready')).name).toBe('default');
    await watcher.stop();
  });
});
