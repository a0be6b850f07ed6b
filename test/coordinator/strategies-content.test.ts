import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { getStrategy, strategyOptions } from '../../src/coordinator/strategies/registry.ts';
import { estimateTokens } from '../../src/coordinator/strategies/session-features.ts';
import type { SessionSummary } from '../../src/coordinator/strategies/types.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { getSession } from '../../src/sessions/store.ts';

// Two jobs, three runs each, on three days; imported interleaved (a1 b1 a2 b2 a3 b3).
const npmRun = (n: number, day: number) =>
  [`2026-03-0${day}T08:00:0${n}Z Run npm ci`, `2026-03-0${day}T08:00:1${n}Z npm ERR! code ERESOLVE`, `2026-03-0${day}T08:00:2${n}Z npm ERR! Could not resolve dependency: peer react@1${n}.0.0`, `2026-03-0${day}T08:00:3${n}Z Error: Process completed with exit code 1.`].join('\n');
const pyRun = (n: number, day: number) =>
  [`2026-03-0${day}T09:00:0${n}Z Run pytest -q`, `2026-03-0${day}T09:00:1${n}Z tests/test_api.py::test_login FAILED`, `2026-03-0${day}T09:00:2${n}Z E   AssertionError: expected 20${n} got 500`, `2026-03-0${day}T09:00:3${n}Z ${n} failed, 4${n} passed in 3.2${n}s`].join('\n');

let paths: RootPaths;
let dir: string;
let sessions: SessionSummary[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dw-strategies-'));
  paths = new RootPaths(join(dir, 'root'));
  await mkdir(join(dir, 'a'), { recursive: true });
  await mkdir(join(dir, 'b'), { recursive: true });
  const files: string[] = [];
  for (const [n, day] of [[1, 1], [2, 1], [3, 3]] as const) {
    await writeFile(join(dir, 'a', `run-${n}.log`), npmRun(n, day) + '\n');
    await writeFile(join(dir, 'b', `run-${n}.log`), pyRun(n, day) + '\n');
    files.push(join(dir, 'a', `run-${n}.log`), join(dir, 'b', `run-${n}.log`));
  }
  sessions = [];
  for (const f of files) {
    const s = (await importSessions(paths, [f])).imported[0]!;
    sessions.push({ id: s.id, sequence: sessions.length, bytes: s.source.bytes, kind: s.kind });
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const plan = async (spec: string, given: Record<string, number> = {}) => {
  const s = getStrategy(spec);
  return (await s.plan(sessions, strategyOptions(s, given), { paths })).map((b) => b.session_ids.map((id) => sessions.findIndex((x) => x.id === id)));
};

describe('strategies that read the stored sessions', () => {
  it('similarity clusters runs of one job together, deterministically, within the size bound', async () => {
    expect(await plan('similarity', { 'batch-size': 3 })).toEqual([[0, 2, 4], [1, 3, 5]]);
    expect(await plan('similarity', { 'batch-size': 3 })).toEqual(await plan('similarity', { 'batch-size': 3 }));
    expect(await plan('similarity', { 'batch-size': 2 })).toEqual([[0, 2], [1, 3], [4], [5]]);
    // Masked, the runs of one job are the same set of lines: similar even at the strictest threshold.
    expect(await plan('similarity', { 'batch-size': 3, 'min-similarity': 1 })).toEqual([[0, 2, 4], [1, 3, 5]]);
  });

  it('by-source groups by the directory the files came from', async () => {
    expect(await plan('by-source')).toEqual([[0, 2, 4], [1, 3, 5]]);
    expect(await plan('by-source', { 'batch-size': 2 })).toEqual([[0, 2], [4], [1, 3], [5]]);
  });

  it('time-window groups by the day the runs happened, in time order', async () => {
    expect(await plan('time-window')).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(await plan('time-window', { 'window-hours': 1 })).toEqual([[0, 2], [1, 3], [4], [5]]);
  });

  it('token-budget estimates a build log at 4 bytes a token and fills batches up to the budget', async () => {
    const bytes = (await getSession(paths, sessions[0]!.id)).source.bytes;
    expect(await estimateTokens(paths, sessions[0]!.id)).toBe(Math.ceil(bytes / 4));
    const budget = Math.ceil(bytes / 4) * 2 + 10;
    const batches = await plan('token-budget', { 'batch-tokens': budget });
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(batches.every((b) => b.length <= 2)).toBe(true);
    expect(await plan('token-budget', { 'batch-tokens': 1 })).toEqual([[0], [1], [2], [3], [4], [5]]);
  });

  it('says when a strategy that reads sessions is planned without them', async () => {
    await expect(Promise.resolve().then(() => getStrategy('similarity').plan(sessions, { 'batch-size': 3, 'min-similarity': 0.2 }))).rejects.toThrow('strategy similarity reads the stored sessions');
  });
});
