/** The comparison's outputs: results.json (everything), results.csv and results.md (the table), chart.svg, experiment.json. */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic.ts';
import type { Usage } from '../llm/usage.ts';
import { renderChart } from './chart.ts';
import type { GroundTruthScore } from './ground-truth.ts';

export interface StrategyRow {
  strategy: string;
  status: string;
  batches: number;
  merge_calls: number;
  memories: number;
  evidence_precision: number | null;
  ground_truth: GroundTruthScore;
  grader: { result: string; iterations: number; passed: number; failed: number; not_graded: number; criteria: { id: string; title: string; status: string }[] };
  model_calls: number | null;
  tokens: Usage & { total: number };
  /** Store diff against the first strategy's (unshuffled) store: does the strategy change what is written? */
  diff_vs_first: { added: number; removed: number; changed: number };
  order_sensitivity: { shuffles: number; diffs: { added: number; removed: number; changed: number }[]; mean_diff: number | null; max_diff: number | null };
  /** Timing and resources: the only fields that differ between two runs with the same seed. */
  wall_s: number;
  utilization: number | null;
  peak_rss_mb: number | null;
}

export interface CompareResults {
  engine: string;
  workers: number;
  max_sessions: number;
  seed: number;
  repeat: number;
  sessions: number;
  datasets: string[];
  strategies: StrategyRow[];
}

/** Fields of a row that measure time or resources (left out when comparing two runs). */
export const TIMING_FIELDS = ['wall_s', 'utilization', 'peak_rss_mb'] as const;

const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

interface Column {
  title: string;
  get: (r: StrategyRow) => string;
}

function columns(results: CompareResults): Column[] {
  const cols: Column[] = [
    { title: 'strategy', get: (r) => r.strategy },
    { title: 'status', get: (r) => r.status },
    { title: 'batches', get: (r) => num(r.batches) },
    { title: 'merge calls', get: (r) => num(r.merge_calls) },
    { title: 'memories', get: (r) => num(r.memories) },
    { title: `diff vs ${results.strategies[0]?.strategy ?? 'first'}`, get: (r) => num(r.diff_vs_first.added + r.diff_vs_first.removed + r.diff_vs_first.changed) },
    { title: 'evidence precision', get: (r) => num(r.evidence_precision) },
  ];
  if (results.datasets.includes('logchunks')) {
    cols.push(
      { title: 'logchunks pairwise F1', get: (r) => num(r.ground_truth.logchunks?.pairwise_f1) },
      { title: 'logchunks ARI', get: (r) => num(r.ground_truth.logchunks?.ari) },
      { title: 'logchunks coverage', get: (r) => num(r.ground_truth.logchunks?.coverage) },
      { title: 'logchunks chunk precision', get: (r) => num(r.ground_truth.logchunks?.chunk_precision) },
    );
  }
  if (results.datasets.includes('swe_trajectories')) {
    cols.push({ title: 'swe recall', get: (r) => num(r.ground_truth.swe?.recall) }, { title: 'swe claim verifiability', get: (r) => num(r.ground_truth.swe?.claim_verifiability) });
  }
  cols.push(
    { title: 'grader', get: (r) => `${r.grader.result} (${r.grader.passed} passed, ${r.grader.failed} failed, ${r.grader.not_graded} not graded)` },
    { title: 'model calls', get: (r) => num(r.model_calls) },
    { title: 'tokens', get: (r) => num(r.tokens.total) },
    { title: 'wall s', get: (r) => r.wall_s.toFixed(1) },
    { title: 'utilization', get: (r) => num(r.utilization, 2) },
    { title: 'peak RSS MB', get: (r) => num(r.peak_rss_mb, 1) },
    { title: 'order diff mean / max', get: (r) => (r.order_sensitivity.shuffles === 0 ? '—' : `${num(r.order_sensitivity.mean_diff, 1)} / ${num(r.order_sensitivity.max_diff)}`) },
  );
  return cols;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderMarkdown(results: CompareResults): string {
  const cols = columns(results);
  const criteria = [...new Map(results.strategies.flatMap((r) => r.grader.criteria.map((c) => [c.id, c.title] as const))).entries()];
  const lines = [
    `${results.sessions} sessions${results.sessions > results.max_sessions ? ` (chains of dreams of ≤ ${results.max_sessions})` : ''} · engine ${results.engine} · ${results.workers} worker(s) · seed ${results.seed} · ${results.repeat} shuffle(s) per strategy${results.datasets.length ? ` · ground truth: ${results.datasets.join(', ')}` : ''}`,
    '',
    `| ${cols.map((c) => c.title).join(' | ')} |`,
    `|${cols.map(() => '---').join('|')}|`,
    ...results.strategies.map((r) => `| ${cols.map((c) => cell(c.get(r))).join(' | ')} |`),
  ];
  if (criteria.length > 0) {
    lines.push('', 'Grader, per criterion (last evaluation of each run):', '', `| strategy | ${criteria.map(([, t]) => cell(t)).join(' | ')} |`, `|---|${criteria.map(() => '---').join('|')}|`);
    for (const r of results.strategies) lines.push(`| ${cell(r.strategy)} | ${criteria.map(([id]) => r.grader.criteria.find((c) => c.id === id)?.status ?? '—').join(' | ')} |`);
  }
  lines.push(
    '',
    `Diff vs ${results.strategies[0]?.strategy ?? 'the first strategy'}: memories added + removed + changed between that strategy's store and this one's (both unshuffled). ` +
      'Order diff: memories added + removed + changed between the store of the unshuffled run and the store of each seeded shuffle of the session order. ' +
      'Utilization: busy thread-time of the task pool / (wall time × workers), wall time including process start.',
  );
  return `${lines.join('\n')}\n`;
}

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function renderCsv(results: CompareResults): string {
  const cols = columns(results);
  return `${[cols.map((c) => csvCell(c.title)).join(','), ...results.strategies.map((r) => cols.map((c) => csvCell(c.get(r))).join(','))].join('\n')}\n`;
}

export async function writeResults(dir: string, results: CompareResults, experiment: unknown): Promise<void> {
  await writeJsonAtomic(join(dir, 'results.json'), results);
  await writeFileAtomic(join(dir, 'results.csv'), renderCsv(results));
  await writeFileAtomic(join(dir, 'results.md'), renderMarkdown(results));
  await writeFileAtomic(join(dir, 'chart.svg'), renderChart(results));
  await writeJsonAtomic(join(dir, 'experiment.json'), experiment);
}
