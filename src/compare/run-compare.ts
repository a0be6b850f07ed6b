/**
 * `dream compare`: the same inputs through several strategies, one fresh dream per run.
 *
 *   inputs ─► import once (sessions sorted by source path: the unshuffled order)
 *   for each strategy: child `dream create` (unshuffled) ─► measure (grader, store, evidence, truth)
 *                      child `dream create` × repeat, k-th seeded shuffle ─► store diff vs unshuffled
 *   rows ─► results.{md,csv,json} + chart.svg + experiment.json   (shared-fs/experiments/<id>/ or --out)
 *
 * Runs go one at a time, so each child's wall time and peak memory are its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildRunConfig } from '../app/run.ts';
import { DreamworkError, InvalidInputError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import { totalTokens } from '../llm/usage.ts';
import { diffStores } from '../memory/diff.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { cmpStr } from '../merger/canonical.ts';
import { importSessions } from '../sessions/import.ts';
import type { Session } from '../sessions/schema.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import { childDream, runChild } from './child-run.ts';
import { experimentRecord } from './experiment.ts';
import { loadGroundTruth } from './ground-truth.ts';
import { measureRun } from './measure.ts';
import type { CompareRequest } from './request.ts';
import { writeResults, type CompareResults, type StrategyRow } from './results.ts';
import { nthShuffle } from './seeded.ts';

export interface CompareHooks {
  onLine?: (line: string) => void;
}

/** Refuse a bad strategy, engine or option before importing anything. */
async function preflight(req: CompareRequest): Promise<void> {
  for (const strategy of req.strategies) {
    await buildRunConfig({ inputs: [], strategy, workers: req.workers, engine: req.engine, engineOptions: req.replay ? { replay: resolve(req.replay) } : {} });
  }
}

async function importOnce(paths: RootPaths, req: CompareRequest): Promise<Session[]> {
  const report = await importSessions(paths, req.sessions, { workers: req.workers });
  const byId = new Map([...report.imported, ...report.existing].map((s) => [s.id, s]));
  if (byId.size === 0) throw new InvalidInputError('no_sessions', `no session could be imported from: ${req.sessions.join(' ')}`);
  return [...byId.values()].sort((a, b) => cmpStr(a.source.path, b.source.path) || cmpStr(a.id, b.id));
}

async function runOnce(paths: RootPaths, req: CompareRequest, strategy: string, order: readonly string[], storeId: string, label: string) {
  const repo = new DreamRepo(paths);
  const before = new Set((await repo.list({ include_archived: true })).map((d) => d.id));
  const args = ['create', '--session', ...order, '--store', storeId, '--strategy', strategy, '--workers', String(req.workers), '--engine', req.engine, '--max-sessions', String(req.maxSessions)];
  if (req.replay) args.push('--replay', resolve(req.replay));
  const child = await runChild(paths.root, args);
  childDream(child, label);
  const chain: DreamRecord[] = (await repo.list({ include_archived: true }))
    .filter((d) => !before.has(d.id))
    .sort((a, b) => cmpStr(a.created_at, b.created_at) || cmpStr(a.id, b.id));
  if (chain.length === 0) throw new DreamworkError('compare_run_failed', `${label}: the run made no dream: ${child.stderr.trim().slice(-2000)}`);
  return { child, chain, measure: await measureRun(paths, chain) };
}

export async function runCompare(paths: RootPaths, req: CompareRequest, hooks: CompareHooks = {}): Promise<{ dir: string; results: CompareResults }> {
  const say = hooks.onLine ?? (() => {});
  await preflight(req);
  const stores = new MemoryStoreRepo(paths);
  if (req.storeId) await stores.getStore(req.storeId);
  const sessions = await importOnce(paths, req);
  const base = sessions.map((s) => s.id);
  const storeId = req.storeId ?? (await stores.createStore({ name: 'compare input', description: 'Empty input store shared by the runs of a dream compare' })).id;
  const truth = await loadGroundTruth(paths, base);
  say(`${sessions.length} session(s) imported; ${req.strategies.length} strategies × ${1 + req.repeat} run(s)${truth.datasets.length ? `; ground truth: ${truth.datasets.join(', ')}` : ''}`);

  const id = `exp_${randomBytes(8).toString('hex')}`;
  const dir = resolve(req.out ?? join(paths.root, 'experiments', id));
  await mkdir(dir, { recursive: true });
  const rows: StrategyRow[] = [];
  // The first strategy's unshuffled store: every other store is diffed against it.
  let reference: StoreSnapshot | null = null;
  const runs: { strategy: string; repeat: number; dreams: string[]; store: string | null }[] = [];
  for (const strategy of req.strategies) {
    const first = await runOnce(paths, req, strategy, base, storeId, strategy);
    runs.push({ strategy, repeat: 0, dreams: first.chain.map((d) => d.id), store: first.chain.at(-1)?.outputs[0]?.memory_store_id ?? null });
    const m = first.measure;
    const diffs: { added: number; removed: number; changed: number }[] = [];
    for (let k = 1; k <= req.repeat; k++) {
      const again = await runOnce(paths, req, strategy, nthShuffle(base, req.seed, k), storeId, `${strategy} (shuffle ${k})`);
      runs.push({ strategy, repeat: k, dreams: again.chain.map((d) => d.id), store: again.chain.at(-1)?.outputs[0]?.memory_store_id ?? null });
      const d = diffStores(m.store, again.measure.store);
      diffs.push({ added: d.filter((x) => x.status === 'added').length, removed: d.filter((x) => x.status === 'removed').length, changed: d.filter((x) => x.status === 'changed').length });
    }
    const sizes = diffs.map((d) => d.added + d.removed + d.changed);
    reference ??= m.store;
    const vsFirst = diffStores(reference, m.store);
    const crit = m.grader.criteria;
    const row: StrategyRow = {
      strategy,
      status: m.status,
      batches: m.batches,
      merge_calls: m.merge_calls,
      memories: m.memories,
      evidence_precision: m.evidence_precision,
      ground_truth: truth.datasets.length ? truth.score(m.store, m.entries) : { quality: null },
      grader: { ...m.grader, passed: crit.filter((c) => c.status === 'passed').length, failed: crit.filter((c) => c.status === 'failed').length, not_graded: crit.filter((c) => c.status === 'not_graded').length },
      // The local engine calls no model; the claude engine's calls are not counted per call here.
      model_calls: req.engine === 'local' ? 0 : null,
      tokens: { ...m.usage, total: totalTokens(m.usage) },
      diff_vs_first: { added: vsFirst.filter((x) => x.status === 'added').length, removed: vsFirst.filter((x) => x.status === 'removed').length, changed: vsFirst.filter((x) => x.status === 'changed').length },
      order_sensitivity: {
        shuffles: diffs.length,
        diffs,
        mean_diff: sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : null,
        max_diff: sizes.length ? Math.max(...sizes) : null,
      },
      wall_s: Math.round(first.child.wall_ms) / 1000,
      utilization: first.child.threads > 0 ? Math.round((first.child.busy_ms / (first.child.wall_ms * req.workers)) * 1000) / 1000 : null,
      peak_rss_mb: first.child.peak_rss_mb,
    };
    rows.push(row);
    say(`${strategy}: ${row.status}, ${row.memories} memories, ${row.batches} batches, ${row.wall_s.toFixed(1)} s${row.order_sensitivity.max_diff !== null ? `, order diff ≤ ${row.order_sensitivity.max_diff}` : ''}`);
  }
  const results: CompareResults = {
    engine: req.engine,
    workers: req.workers,
    max_sessions: req.maxSessions,
    seed: req.seed,
    repeat: req.repeat,
    sessions: sessions.length,
    datasets: truth.datasets,
    strategies: rows,
  };
  await writeResults(dir, results, experimentRecord(id, req, sessions, runs));
  return { dir, results };
}
