import { mkdir, writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempRoot } from '../helpers/cli.ts';

describe('dream CLI: bad input gets a clear error and exit code 2', () => {
  it.each([
    ['workers 0', ['run', 'examples/sessions/ci/*.log', '--workers', '0'], /--workers: expected a positive integer, got "0"/],
    ['max-iterations 21', ['run', 'examples/sessions/ci/*.log', '--max-iterations', '21'], /--max-iterations: must be an integer from 1 to 20, got 21/],
    ['unknown strategy', ['run', 'examples/sessions/ci/*.log', '--strategy', 'nope'], /unknown strategy "nope" in "nope"; known: fixed-count, byte-budget, token-budget, similarity, by-source, time-window, one-batch/],
    ['missing rubric', ['run', 'examples/sessions/ci/*.log', '--rubric', 'no-such-rubric.md'], /--rubric .*no-such-rubric\.md: no such file/],
    ['option of another strategy', ['run', 'examples/sessions/ci/*.log', '--strategy', 'fixed-count', '--batch-bytes', '10'], /--batch-bytes does not apply to strategy fixed-count/],
    ['instructions too long', ['run', 'examples/sessions/ci/*.log', '--instructions', 'x'.repeat(4097)], /instructions: 4097 characters; must be 1 to 4096/],
    ['glob matching nothing', ['run', 'no/such/dir/*.log'], /no/i],
    ['hostile store id', ['run', 'examples/sessions/ci/*.log', '--store', 'memstore_../../etc'], /memstore_/],
  ])('%s', async (_label, args, message) => {
    const res = await runCli(args as string[], await tempRoot());
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });

  it('refuses a rubric with no criteria, naming the file', async () => {
    const root = await tempRoot();
    const rubric = join(root, 'empty-rubric.md');
    await writeFile(rubric, '# My rubric\n\nJust prose, no criteria.\n');
    const res = await runCli(['run', 'examples/sessions/ci/*.log', '--rubric', rubric], root);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('empty-rubric.md');
  });

  it('answers unknown ids with not found (6) and --json errors in the API shape', async () => {
    const root = await tempRoot();
    const res = await runCli(['get', 'drm_0000000000000000000000aa', '--json'], root);
    expect(res.code).toBe(6);
    expect(JSON.parse(res.stdout)).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('prints help for every command', async () => {
    const res = await runCli(['run', '--help'], await tempRoot());
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('--max-iterations');
    expect(res.stdout).toContain('--strategy');
  });
});

describe('dream run past the per-dream cap', () => {
  it('chains dreams, each reading the previous output store, and says so', async () => {
    const root = await tempRoot();
    const res = await runCli(['run', 'examples/sessions/ci/*.log', '--max-sessions', '2'], root);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('dream 1 of 3 in a chain');
    expect(res.stderr).toContain('dream 3 of 3 in a chain');
    const list = JSON.parse((await runCli(['list', '--json'], root)).stdout).data as { id: string; inputs: { type: string; memory_store_id?: string }[]; outputs: { memory_store_id: string }[] }[];
    expect(list).toHaveLength(3);
    const byInput = new Map(list.map((d) => [d.inputs.find((i) => i.type === 'memory_store')!.memory_store_id as string, d]));
    // Each dream after the first reads the store the previous one wrote.
    const outputs = new Set(list.map((d) => d.outputs[0]!.memory_store_id));
    expect([...byInput.keys()].filter((s) => outputs.has(s))).toHaveLength(2);
    // ERESOLVE failed in run-102 (first dream) and run-103 (second dream): the final store counts both.
    const last = list.find((d) => !byInput.has(d.outputs[0]!.memory_store_id))!;
    const diff = await runCli(['stores', 'show', last.outputs[0]!.memory_store_id, '--json'], root);
    const memories = JSON.parse(diff.stdout).memories as { path: string }[];
    const eresolve = memories.find((m) => m.path.includes('eresolve'))!;
    const text = await readFile(join(root, 'stores', last.outputs[0]!.memory_store_id, 'tree', eresolve.path), 'utf8');
    expect(text).toContain('seen in 2 sessions');
  });
});

describe('stores and diff', () => {
  it('exports a store as a plain tree and diffs two stores per path', async () => {
    const root = await tempRoot();
    const run = JSON.parse((await runCli(['run', 'examples/sessions/agent/*.jsonl', '--json', '--quiet'], root)).stdout);
    const input = run.inputs.find((i: { type: string }) => i.type === 'memory_store').memory_store_id;
    const output = run.outputs[0].memory_store_id;
    const diff = await runCli(['diff', input, output], root);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^\+\+\+ .*\/README\.md/m);
    const dir = join(root, 'export');
    await mkdir(dir);
    const exp = await runCli(['stores', 'export', output, '--dir', dir], root);
    expect(exp.code, exp.stderr).toBe(0);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain('Memory store');
    expect((await runCli(['stores', 'export', output, '--dir', dir], root)).code).toBe(2);
  });
});
