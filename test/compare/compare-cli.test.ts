/**
 * `dream compare` through the real CLI, on a tiny labelled data set written here (the LogChunks
 * layout: <repo>/labels.json + <repo>/logs/*.log). Each run is a child `dream create`, so these
 * tests spawn a dozen processes: kept to 4 sessions, 1 worker.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree, REPO, runCli, tempRoot } from '../helpers/cli.ts';
import { TIMING_FIELDS, type CompareResults } from '../../src/compare/results.ts';

let dir: string;
const npmLog = (n: number) => `Run npm ci\nnpm ERR! code ERESOLVE\nnpm ERR! Could not resolve dependency: peer react@1${n}.0.0\nError: Process completed with exit code 1.\n`;
const pyLog = (n: number) => `Run pytest -q\ntests/test_api.py::test_login FAILED\nE   AssertionError: expected 20${n} got 500\n${n} failed, 4${n} passed\nError: Process completed with exit code 1.\n`;

beforeAll(async () => {
  dir = await tempRoot('dw-compare-data-');
  const repo = join(dir, 'data', 'demo__repo');
  await mkdir(join(repo, 'logs'), { recursive: true });
  const labels = [];
  for (const n of [1, 2]) {
    await writeFile(join(repo, 'logs', `npm-${n}.log`), npmLog(n));
    labels.push({ InputPath: `logs/npm-${n}.log`, Category: 1, Chunk: `npm ERR! code ERESOLVE\nnpm ERR! Could not resolve dependency: peer react@1${n}.0.0` });
    await writeFile(join(repo, 'logs', `py-${n}.log`), pyLog(n));
    labels.push({ InputPath: `logs/py-${n}.log`, Category: 2, Chunk: `E   AssertionError: expected 20${n} got 500` });
  }
  await writeFile(join(repo, 'labels.json'), JSON.stringify(labels));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const MODULE = join(REPO, 'test/fixtures/strategies/pairs-reversed.ts');
const STRATEGIES = `fixed-count:batch-size=1,fixed-count:batch-size=1+hierarchical:fan-in=2,${MODULE}`;

async function compare(out: string, root: string): Promise<CompareResults> {
  const r = await runCli(['compare', '--strategies', STRATEGIES, '--sessions', join(dir, 'data/*/logs/*.log'), '--repeat', '1', '--seed', '42', '--workers', '1', '--out', out], root);
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  return JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as CompareResults;
}

const withoutTiming = (r: CompareResults) => ({ ...r, strategies: r.strategies.map((s) => Object.fromEntries(Object.entries(s).filter(([k]) => !(TIMING_FIELDS as readonly string[]).includes(k)))) });

describe('dream compare', () => {
  it('same seed, same results (timing and resources aside); every output file written', async () => {
    const root = await tempRoot();
    const a = await compare(join(dir, 'out-a'), root);
    const b = await compare(join(dir, 'out-b'), await tempRoot());
    expect(withoutTiming(b)).toEqual(withoutTiming(a));

    expect(a).toMatchObject({ engine: 'local', workers: 1, max_sessions: 100, seed: 42, repeat: 1, sessions: 4, datasets: ['logchunks'] });
    expect(a.strategies.map((s) => s.strategy)).toEqual(['fixed-count:batch-size=1', 'fixed-count:batch-size=1+hierarchical:fan-in=2', MODULE]);
    for (const s of a.strategies) {
      expect(s.status).toBe('completed');
      expect(s.model_calls).toBe(0);
      expect(s.tokens.total).toBe(0);
      expect(s.memories).toBeGreaterThan(0);
      expect(s.evidence_precision).toBe(1);
      expect(s.grader.result).toBe('satisfied');
      expect(s.grader.criteria.length).toBeGreaterThan(0);
      expect(s.ground_truth.logchunks).toMatchObject({ builds: 4 });
      expect(s.order_sensitivity.shuffles).toBe(1);
      expect(s.wall_s).toBeGreaterThan(0);
    }
    const [flat, tree, mine] = a.strategies;
    expect(flat!.batches).toBe(4);
    expect(flat!.merge_calls).toBe(1);
    expect(tree!.merge_calls).toBe(3); // 4 leaves, fan-in 2: two merges, then the root
    expect(tree!.diff_vs_first).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(mine!.batches).toBe(2);

    // Hierarchical ≡ flat for the local merge: byte-identical stores.
    const exp = JSON.parse(await readFile(join(dir, 'out-a', 'experiment.json'), 'utf8'));
    const storeOf = (strategy: string) => exp.runs.find((r: { strategy: string; repeat: number }) => r.strategy === strategy && r.repeat === 0).store as string;
    const tree0 = await readTree(join(root, 'stores', storeOf(STRATEGIES.split(',')[0]!), 'tree'));
    expect(await readTree(join(root, 'stores', storeOf(STRATEGIES.split(',')[1]!), 'tree'))).toEqual(tree0);

    expect(exp).toMatchObject({ seed: 42, repeat: 1, engine: 'local', node_version: process.version, dreamwork_version: expect.any(String) });
    expect(exp.command).toContain("compare --strategies");
    expect(exp.inputs).toHaveLength(4);
    expect(exp.inputs[0]).toMatchObject({ session_id: expect.stringMatching(/^sesn_/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const md = await readFile(join(dir, 'out-a', 'results.md'), 'utf8');
    expect(md).toContain('| fixed-count:batch-size=1 | completed |');
    expect(await readFile(join(dir, 'out-a', 'results.csv'), 'utf8')).toMatch(/^strategy,status,batches/);
    expect(await readFile(join(dir, 'out-a', 'chart.svg'), 'utf8')).toContain('quality: logchunks pairwise F1');
  }, 240_000);

  it('lists the strategies, with their options and paragraphs', async () => {
    const root = await tempRoot();
    const list = await runCli(['compare', '--list'], root);
    expect(list.code).toBe(0);
    for (const name of ['fixed-count', 'byte-budget', 'token-budget', 'similarity', 'by-source', 'time-window', 'one-batch', 'flat', 'hierarchical']) expect(list.stdout).toContain(`  ${name}`);
    const json = await runCli(['--json', 'strategies'], root);
    expect(JSON.parse(json.stdout).merging.map((m: { name: string }) => m.name)).toEqual(['flat', 'hierarchical']);
  });

  it('refuses bad requests before doing any work, naming what is wrong', async () => {
    const root = await tempRoot();
    const sessions = ['--sessions', join(dir, 'data/*/logs/*.log')];
    const cases: [string[], RegExp][] = [
      [['compare', ...sessions], /--strategies is required/],
      [['compare', '--strategies', 'nope', ...sessions], /unknown strategy "nope"/],
      [['compare', '--strategies', 'one-batch,one-batch', ...sessions], /"one-batch" is listed twice/],
      [['compare', '--strategies', 'one-batch+hierarchical:fan-in=1', ...sessions], /option fan-in must be an integer from 2 to 1000, got 1/],
      [['compare', '--strategies', join(REPO, 'test/fixtures/strategies/no-plan.mjs'), ...sessions], /no-plan\.mjs: default export\.plan must be a function/],
      [['compare', '--strategies', 'one-batch'], /--sessions: give at least one session file/],
      [['compare', '--strategies', 'one-batch', '--repeat', '-1', ...sessions], /--repeat: expected a non-negative integer/],
      [['compare', '--strategies', 'one-batch', '--replay', dir, ...sessions], /--replay applies to --engine claude only/],
      [['compare', '--strategies', 'one-batch', '--sessions', join(dir, 'nothing-here/*.log')], /no session could be imported|no files|matched nothing/i],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, root);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    // Nothing was dreamed.
    expect((await runCli(['--json', 'list'], root)).stdout).toContain('"data": []');
  });
});
