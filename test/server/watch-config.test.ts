import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { loadWatchSpecs, WatchService } from '../../src/server/watch-service.ts';
import { DreamRunner } from '../../src/server/dream-runner.ts';
import { dreamRoutes } from '../../src/server/routes/dreams.ts';
import { REPO } from '../helpers/cli.ts';
import { startTestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/serve-child.ts';

describe('dream serve with a watch config', () => {
  it('imports a transcript landing in a watched directory and its dream is visible through the API', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-serve-watch-'));
    const root = await mkdtemp(join(tmpdir(), 'dw-serve-watch-root-'));
    const configFile = join(dir, '..', `${dir.split('/').pop()}.yaml`);
    await writeFile(configFile, `dirs: [${JSON.stringify(dir)}]\nevery: 1\nsettle_ms: 200\nworkers: 1\n`);
    const specs = await loadWatchSpecs(configFile);
    const watch = new WatchService(new RootPaths(root), specs.map((spec) => ({ spec, source: configFile })));
    const runner = new DreamRunner({ workers: 1, env: {} });
    const t = await startTestServer({ root, routes: [dreamRoutes(runner)], services: [runner, watch] });
    try {
      await copyFile(join(REPO, 'examples/sessions/ci/run-102.log'), join(dir, 'run-102.log'));
      const dream = await waitFor(
        async () => {
          for await (const d of t.client.beta.dreams.list({ statuses: ['completed'] })) return d;
          return undefined;
        },
        90_000,
        'a completed dream',
      );
      const out = dream.outputs[0]!.memory_store_id;
      const paths: string[] = [];
      for await (const m of t.client.beta.memoryStores.memories.list(out)) if (m.type === 'memory') paths.push(m.path);
      expect(paths.some((p) => p.startsWith('/failures/'))).toBe(true);
      expect(watch.status()[0]!.pending).toEqual([]);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('refuses a bad watch config naming the file and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-serve-watch-bad-'));
    const file = join(dir, 'watch.json');
    await writeFile(file, JSON.stringify({ dirs: [dir], every: 'often' }));
    const specs = await loadWatchSpecs(file);
    const watch = new WatchService(new RootPaths(dir), specs.map((spec) => ({ spec, source: file })));
    await expect(watch.start()).rejects.toThrow(/watch\.json: every/);
    await expect(loadWatchSpecs(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read/);
    await writeFile(join(dir, 'broken.yaml'), 'dirs: [a\n');
    await expect(loadWatchSpecs(join(dir, 'broken.yaml'))).rejects.toThrow(/broken\.yaml: not valid JSON or YAML/);
  });
});
