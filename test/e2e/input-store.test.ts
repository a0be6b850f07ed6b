import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { DreamRepo } from '../../src/dreams/repo.ts';
import { hashTree, runCli, startCli, tempRoot } from '../helpers/cli.ts';
import { writeCiLogs } from '../helpers/fixtures.ts';

const user = { type: 'user_actor' as const, user_id: 'usr_test' };

/** A store with a hand-written note and, optionally, a planted secret the grader must catch. */
async function inputStore(root: string, secret = false): Promise<string> {
  const repo = new MemoryStoreRepo(new RootPaths(root));
  const store = await repo.createStore({ name: 'team memory' });
  await repo.createMemory(store.id, { path: '/notes/deploy.md', content: '# Deploys\n\nDeploy from the release branch only.\n' }, user);
  if (secret) {
    await repo.createMemory(store.id, { path: '/notes/creds.md', content: '# Creds\n\naws key AKIAIOSFODNN7EXAMPLE for the bucket\n' }, user);
  }
  return store.id;
}

describe('the input store is never modified', () => {
  it('stays byte-identical after a completed dream', async () => {
    const root = await tempRoot();
    const store = await inputStore(root);
    const before = await hashTree(join(root, 'stores', store));
    const res = await runCli(['run', 'examples/sessions/ci/*.log', '--store', store, '--json', '--quiet'], root);
    expect(res.code, res.stderr).toBe(0);
    const dream = JSON.parse(res.stdout);
    expect(dream.status).toBe('completed');
    expect(dream.outputs[0].memory_store_id).not.toBe(store);
    expect(await hashTree(join(root, 'stores', store))).toEqual(before);
    // The output started as a copy of the input: the hand-written note is still there.
    const out = await new MemoryStoreRepo(new RootPaths(root)).snapshot(dream.outputs[0].memory_store_id);
    expect(out.find((m) => m.path === '/notes/deploy.md')?.content).toContain('release branch only');
  });

  it('stays byte-identical after a dream the grader refuses, and nothing is written', async () => {
    const root = await tempRoot();
    const store = await inputStore(root, true);
    const before = await hashTree(join(root, 'stores', store));
    const storesBefore = (await readdir(join(root, 'stores'))).sort();
    const res = await runCli(['run', 'examples/sessions/ci/*.log', '--store', store, '--max-iterations', '1', '--json', '--quiet'], root);
    expect(res.code).toBe(4);
    const dream = JSON.parse(res.stdout);
    expect(dream.status).toBe('failed');
    expect(dream.error.type).toBe('outcome_not_satisfied');
    expect(dream.outputs).toEqual([]);
    expect(await hashTree(join(root, 'stores', store))).toEqual(before);
    expect((await readdir(join(root, 'stores'))).sort()).toEqual(storesBefore);
    // The candidate and its grades stay in the dream's folder for review.
    const dir = join(root, 'dreams', dream.id);
    expect(await readdir(join(dir, 'evaluations'))).toEqual(['01.json']);
    expect((await readdir(join(dir, 'candidate', 'notes'))).sort()).toEqual(['creds.md', 'deploy.md']);
  });

  it('stays byte-identical after a canceled dream', async () => {
    const root = await tempRoot();
    const store = await inputStore(root);
    const before = await hashTree(join(root, 'stores', store));
    const logs = join(await tempRoot('dw-logs-'), 'ci');
    await writeCiLogs(logs, 16, 20_000);
    const child = startCli(['run', join(logs, '*.log'), '--store', store, '--workers', '1', '--batch-size', '1', '--json', '--quiet'], root);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    let dreamId: string | undefined;
    for (let i = 0; i < 600 && !dreamId; i++) {
      const names = await readdir(join(root, 'dreams')).catch(() => [] as string[]);
      for (const n of names) {
        const done = await readdir(join(root, 'dreams', n, 'findings')).catch(() => [] as string[]);
        if (done.length >= 1) dreamId = n;
      }
      if (!dreamId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(dreamId).toBeDefined();
    // Cancel in-process (the same DreamRepo.cancel `dream cancel` calls): starting another CLI
    // process takes seconds on a loaded machine, long enough for the dream to finish first.
    expect((await new DreamRepo(new RootPaths(root)).cancel(dreamId!)).status).toBe('canceled');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(5);
    expect(JSON.parse(out).status).toBe('canceled');
    // Cancel is idempotent.
    const again = await runCli(['cancel', dreamId!, '--json'], root);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).status).toBe('canceled');
    expect(await hashTree(join(root, 'stores', store))).toEqual(before);
  });
});
