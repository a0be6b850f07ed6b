import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { buildWatchConfig } from '../../src/watch/config.ts';
import { watchConfigFromSpec } from '../../src/watch/config-file.ts';
import { startWatcher, tempDir } from './harness.ts';

const request = { workers: 1 };

describe('watch: bad input is refused before anything is watched', () => {
  it('names a missing directory, a file given as a directory, a bad name and bad numbers', async () => {
    const dir = await tempDir('dw-watch-in-');
    await writeFile(join(dir, 'a.log'), 'x\n');
    await expect(buildWatchConfig({ dirs: [join(dir, 'nope')], request })).rejects.toMatchObject({
      code: 'watch_dir_missing',
      message: expect.stringContaining(join(dir, 'nope')),
    });
    await expect(buildWatchConfig({ dirs: [join(dir, 'a.log')], request })).rejects.toMatchObject({
      code: 'watch_not_directory',
    });
    await expect(buildWatchConfig({ dirs: [], request })).rejects.toMatchObject({
      code: 'watch_dir_missing',
    });
    await expect(buildWatchConfig({ dirs: [dir], name: '../escape', request })).rejects.toMatchObject({
      code: 'invalid_watch_name',
    });
    await expect(buildWatchConfig({ dirs: [dir], every: 0, request })).rejects.toMatchObject({
      code: 'invalid_watch_option',
      message: expect.stringContaining('--every'),
    });
    await expect(buildWatchConfig({ dirs: [dir], every: 101, request })).rejects.toMatchObject({
      code: 'invalid_watch_option',
      message: expect.stringContaining('--max-sessions'),
    });
    await expect(buildWatchConfig({ dirs: [dir], afterMs: -1, request })).rejects.toMatchObject({
      code: 'invalid_watch_option',
    });
    await expect(buildWatchConfig({ dirs: [dir], glob: ' ', request })).rejects.toMatchObject({
      code: 'invalid_watch_option',
      message: expect.stringContaining('--glob'),
    });
  });

  it('refuses an unknown store, a store other than the one the watch runs on, and a corrupt state file', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    await expect(
      startWatcher(root, { dirs: [dir], request: { workers: 1, storeId: 'memstore_doesnotexist01' } }),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('memstore_doesnotexist01'),
    });
    await expect(
      startWatcher(root, { dirs: [dir], request: { workers: 1, storeId: '../../etc' } }),
    ).rejects.toMatchObject({ code: 'invalid_id' });
    await expect(
      startWatcher(root, { dirs: [dir], request: { workers: 1, engine: 'nope' } }),
    ).rejects.toMatchObject({ code: 'unknown_engine' });

    // A failed start leaves no lock behind: the same name starts now.
    const first = await startWatcher(root, { dirs: [dir] });
    await first.watcher.stop();
    const other = await new MemoryStoreRepo(new RootPaths(root)).createStore({ name: 'other' });
    await expect(
      startWatcher(root, { dirs: [dir], request: { workers: 1, storeId: other.id } }),
    ).rejects.toMatchObject({
      code: 'watch_store_mismatch',
      message: expect.stringContaining('--name'),
    });

    await mkdir(join(root, 'watch'), { recursive: true });
    await writeFile(join(root, 'watch', 'broken.json'), '{"version": 1, "name": "broken"}\n');
    await expect(startWatcher(root, { dirs: [dir], name: 'broken' })).rejects.toMatchObject({
      code: 'corrupt_file',
      message: expect.stringContaining(join(root, 'watch', 'broken.json')),
    });
  });

  it('reads a watch described as data, naming the source and field at fault', async () => {
    const dir = await tempDir('dw-watch-in-');
    const config = await watchConfigFromSpec(
      {
        dirs: [dir],
        every: 5,
        after_seconds: 90,
        glob: '*.log',
        output_behavior: 'update_existing',
        workers: 1,
      },
      'serve.yaml',
    );
    expect(config).toMatchObject({
      dirs: [dir],
      every: 5,
      afterMs: 90_000,
      glob: '*.log',
      name: 'default',
      settleMs: 2_000,
    });
    expect(config.request).toMatchObject({ outputBehavior: 'update_existing', workers: 1 });
    await expect(watchConfigFromSpec({ dirs: [dir], evry: 5 }, 'serve.yaml')).rejects.toMatchObject({
      code: 'invalid_watch_config',
      message: expect.stringContaining('serve.yaml'),
    });
    await expect(watchConfigFromSpec({ dirs: [dir], every: 'often' }, 'serve.yaml')).rejects.toMatchObject({
      code: 'invalid_watch_config',
      message: expect.stringContaining('every'),
    });
    await expect(watchConfigFromSpec({ dirs: [dir], every: 0 }, 'serve.yaml')).rejects.toMatchObject({
      code: 'invalid_watch_option',
    });
  });
});
