import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, runCli, startCli, tempRoot } from '../helpers/cli.ts';
import { writeCiLogs } from '../helpers/fixtures.ts';

async function findingsDone(root: string): Promise<{ dream: string; done: number } | undefined> {
  try {
    const [dream] = await readdir(join(root, 'dreams'));
    if (!dream) return undefined;
    const names = await readdir(join(root, 'dreams', dream, 'findings')).catch(() => []);
    return { dream, done: names.filter((n) => n.endsWith('.json')).length };
  } catch {
    return undefined;
  }
}

async function mtimes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const n of (await readdir(dir)).filter((x) => x.endsWith('.json'))) out[n] = (await stat(join(dir, n))).mtimeMs;
  return out;
}

describe('a dream killed with SIGKILL mid-run', () => {
  it('resumes, skips finished batches, and writes the same bytes as an uninterrupted run', async () => {
    const logs = join(await tempRoot('dw-logs-'), 'ci');
    await writeCiLogs(logs, 24, 20_000);
    const args = ['run', join(logs, '*.log'), '--workers', '1', '--batch-size', '2', '--quiet', '--json'];

    // Uninterrupted reference run.
    const refRoot = await tempRoot();
    const ref = await runCli(args, refRoot);
    expect(ref.code, ref.stderr).toBe(0);
    const refStore = JSON.parse(ref.stdout).outputs[0].memory_store_id as string;

    // Interrupted run: kill -9 once a few batches are done.
    const root = await tempRoot();
    const child = startCli(args, root);
    let progress: { dream: string; done: number } | undefined;
    for (let i = 0; i < 600; i++) {
      progress = await findingsDone(root);
      if (progress && progress.done >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(progress?.done ?? 0, 'batches done before the kill').toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const before = (await findingsDone(root))!;
    expect(before.done).toBeLessThan(12);
    const findingsDir = join(root, 'dreams', before.dream, 'findings');
    const doneBefore = await mtimes(findingsDir);

    const get = await runCli(['get', before.dream, '--json'], root);
    // Opening the root resumes the orphaned dream before answering.
    expect(get.code, get.stderr).toBe(0);
    expect(get.stderr).toContain(`resuming dream ${before.dream}`);
    const dream = JSON.parse(get.stdout);
    expect(dream.status).toBe('completed');
    const events = await runCli(['resume', '--json'], root);
    expect(JSON.parse(events.stdout).data).toEqual([]);

    // Batches finished before the kill were skipped, not redone.
    const doneAfter = await mtimes(findingsDir);
    for (const [name, mtime] of Object.entries(doneBefore)) expect(doneAfter[name]).toBe(mtime);
    expect(Object.keys(doneAfter)).toHaveLength(12);
    const store = dream.outputs[0].memory_store_id as string;
    expect(await readTree(join(root, 'stores', store, 'tree'))).toEqual(await readTree(join(refRoot, 'stores', refStore, 'tree')));
  });
});
