/**
 * LogChunks (../shared/data/logchunks, README section 2): does `dream logs failure` find the
 * labelled failure chunk of each failed Travis build, and does its top signature group the builds
 * of a repository the way the labelled categories do?
 *
 *   log ─► splitLines ─► failureRanges ─► top-K ranges ─► flagged lines ─► recall / precision / hit@1
 *                                     └─► top signature ─► groups per repository ─► pairwise F1 / ARI
 *
 * The gold lines follow the README exactly: the labeller saw every `\r` as a line break, so the
 * chunk is found in the log split with /\r\n|\r|\n/ and each touched line is mapped back to the
 * project's `\n`-numbered line holding it. Labels are read for scoring only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitLines, stripAnsi, visibleText } from '../src/core/lines.ts';
import { failureRanges } from '../src/engine/local/failure/ranges.ts';
import type { FailureRange } from '../src/engine/local/failure/types.ts';
import { groupKey } from '../src/engine/local/failure/group-key.ts';
import { DATA, fmt, mean, type EvalResult } from './report.ts';

interface Label {
  InputPath: string;
  Category: number;
  Chunk: string;
}

/**
 * The operating point: the top range, plus any other range scoring at least SHARE of it (at most
 * MAX_FLAGGED): a close second is flagged too, a distant one is not. K = 0 in the sweep.
 */
const SHARE = 0.8;
const MAX_FLAGGED = 3;
export const TOP_K = 0;
const SWEEP = [0, 1, 2, 3, 5];

function pick(ranges: FailureRange[], k: number): FailureRange[] {
  if (k > 0) return ranges.slice(0, k);
  const top = ranges[0]?.score ?? 0;
  return ranges.slice(0, MAX_FLAGGED).filter((r, i) => i === 0 || r.score >= top * SHARE);
}
const kName = (k: number): string => (k === 0 ? `adaptive (≥ ${SHARE} × top, ≤ ${MAX_FLAGGED})` : `top ${k}`);

/** Map each readLine-numbered line (split on \r\n, \r, \n) to the \n-numbered line holding it. */
function readLineTable(text: string): { lines: string[]; toN: number[] } {
  const lines: string[] = [];
  const toN: number[] = [];
  let n = 1;
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push(text.slice(start, m.index));
    toN.push(n);
    if (m[0] !== '\r') n++;
    start = m.index + m[0].length;
  }
  if (start < text.length) {
    lines.push(text.slice(start));
    toN.push(n);
  }
  return { lines, toN };
}

const norm = (s: string): string => stripAnsi(s).trim();

/**
 * Gold `\n`-line numbers of the chunk (blank lines dropped) and the line of its first non-blank
 * line, or null when the chunk cannot be located.
 */
export function goldLines(text: string, chunk: string): { lines: Set<number>; first: number } | null {
  const { lines, toN } = readLineTable(text);
  const joined = lines.join('\n');
  let touched: number[] | null;
  const at = joined.lastIndexOf(chunk);
  if (at >= 0 && chunk.length > 0) {
    // Line index of a character offset in `joined`.
    const startLine = countNl(joined, 0, at);
    const endLine = startLine + countNl(chunk, 0, chunk.length - (chunk.endsWith('\n') ? 1 : 0));
    touched = [];
    for (let i = startLine; i <= endLine; i++) touched.push(i);
  } else {
    touched = fuzzyFind(lines, chunk);
  }
  if (!touched) return null;
  const gold = touched.filter((i) => norm(lines[i]!) !== '').map((i) => toN[i]!);
  if (gold.length === 0) return null;
  return { lines: new Set(gold), first: gold[0]! };
}

function countNl(s: string, from: number, to: number): number {
  let c = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) c++;
  return c;
}

/** Chunk lines compared without ANSI codes and outer blanks; first and last may be partial. */
function fuzzyFind(lines: string[], chunk: string): number[] | null {
  const want = chunk.split(/\r\n|\r|\n/).map(norm);
  while (want.length > 0 && want[0] === '') want.shift();
  while (want.length > 0 && want[want.length - 1] === '') want.pop();
  if (want.length === 0) return null;
  const have = lines.map(norm);
  for (let s = have.length - want.length; s >= 0; s--) {
    let ok = true;
    for (let j = 0; j < want.length && ok; j++) {
      const h = have[s + j]!;
      const w = want[j]!;
      ok = j === 0 ? h.endsWith(w) : j === want.length - 1 ? h.startsWith(w) : h === w;
    }
    if (ok) return want.map((_, j) => s + j);
  }
  return null;
}

/** Non-blank `\n`-line numbers inside the ranges. */
function flagged(ranges: FailureRange[], nLines: string[]): Set<number> {
  const out = new Set<number>();
  for (const r of ranges) for (let l = r.start; l <= r.end; l++) if (visibleText(nLines[l - 1] ?? '').trim() !== '') out.add(l);
  return out;
}

function prf(p: Set<number>, g: Set<number>): { precision: number; recall: number; f1: number } {
  let both = 0;
  for (const l of p) if (g.has(l)) both++;
  const precision = p.size === 0 ? 0 : both / p.size;
  const recall = g.size === 0 ? 0 : both / g.size;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Pairwise precision/recall/F1 of a grouping against true classes (README section 2, metric 2). */
export function pairwise(pred: string[], truth: number[]): { precision: number; recall: number; f1: number } {
  let both = 0;
  let predSame = 0;
  let trueSame = 0;
  for (let i = 0; i < pred.length; i++) {
    for (let j = i + 1; j < pred.length; j++) {
      const p = pred[i] === pred[j];
      const t = truth[i] === truth[j];
      if (p) predSame++;
      if (t) trueSame++;
      if (p && t) both++;
    }
  }
  const precision = predSame === 0 ? 0 : both / predSame;
  const recall = trueSame === 0 ? 0 : both / trueSame;
  return { precision, recall, f1: both === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Adjusted Rand index (Hubert and Arabie). Both partitions trivial and equal → 1. */
export function adjustedRand(pred: string[], truth: number[]): number {
  const c2 = (n: number): number => (n * (n - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<number, number>();
  pred.forEach((p, i) => {
    const t = truth[i]!;
    cells.set(`${p}\u0000${t}`, (cells.get(`${p}\u0000${t}`) ?? 0) + 1);
    rows.set(p, (rows.get(p) ?? 0) + 1);
    cols.set(t, (cols.get(t) ?? 0) + 1);
  });
  const index = [...cells.values()].reduce((s, n) => s + c2(n), 0);
  const a = [...rows.values()].reduce((s, n) => s + c2(n), 0);
  const b = [...cols.values()].reduce((s, n) => s + c2(n), 0);
  const expected = (a * b) / c2(pred.length);
  const max = (a + b) / 2;
  return max === expected ? (index === expected ? 1 : 0) : (index - expected) / (max - expected);
}

interface BuildResult {
  repo: string;
  build: string;
  category: number;
  found: boolean;
  hit1: boolean;
  hit3: boolean;
  /** Recall and precision of the flagged lines for each K of the sweep. */
  sweep: Record<number, { precision: number; recall: number; f1: number }>;
  key: string;
  signature: string;
}

export async function run(): Promise<EvalResult> {
  const root = join(DATA, 'logchunks');
  const builds: BuildResult[] = [];
  let lines = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const repo of readdirSync(root).filter((d) => !d.includes('.')).sort()) {
    const labels = JSON.parse(readFileSync(join(root, repo, 'labels.json'), 'utf8')) as Label[];
    for (const label of labels) {
      const file = label.InputPath.split('/').pop()!;
      const text = readFileSync(join(root, repo, 'logs', file), 'utf8');
      const nLines = splitLines(text);
      lines += nLines.length;
      bytes += Buffer.byteLength(text);
      const ranges = failureRanges(nLines, { max: Math.max(...SWEEP) });
      const gold = goldLines(text, label.Chunk);
      const inRange = (r: FailureRange | undefined): boolean => !!gold && !!r && r.start <= gold.first && gold.first <= r.end;
      const sweep: BuildResult['sweep'] = {};
      for (const k of SWEEP) sweep[k] = gold ? prf(flagged(pick(ranges, k), nLines), gold.lines) : { precision: 0, recall: 0, f1: 0 };
      builds.push({
        repo,
        build: file,
        category: label.Category,
        found: gold !== null,
        hit1: inRange(ranges[0]),
        hit3: ranges.slice(0, 3).some(inRange),
        sweep,
        key: ranges[0] ? groupKey(ranges[0].signature) : '',
        signature: ranges[0]?.signature ?? '',
      });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const scored = builds.filter((b) => b.found);
  const repos = [...new Set(builds.map((b) => b.repo))];

  const repoRows = repos.map((repo) => {
    const bs = builds.filter((b) => b.repo === repo);
    const sc = bs.filter((b) => b.found);
    const pw = pairwise(bs.map((b) => b.key), bs.map((b) => b.category));
    const one = pairwise(bs.map(() => ''), bs.map((b) => b.category));
    return {
      repo,
      builds: bs.length,
      hit1: mean(sc.map((b) => (b.hit1 ? 1 : 0))),
      recall: mean(sc.map((b) => b.sweep[TOP_K]!.recall)),
      precision: mean(sc.map((b) => b.sweep[TOP_K]!.precision)),
      groups: new Set(bs.map((b) => b.key)).size,
      categories: new Set(bs.map((b) => b.category)).size,
      pairF1: pw.f1,
      oneGroupF1: one.f1,
      ari: adjustedRand(bs.map((b) => b.key), bs.map((b) => b.category)),
    };
  });

  const m = {
    builds: builds.length,
    located: scored.length,
    hit1: mean(scored.map((b) => (b.hit1 ? 1 : 0))),
    hit3: mean(scored.map((b) => (b.hit3 ? 1 : 0))),
    recall: mean(scored.map((b) => b.sweep[TOP_K]!.recall)),
    precision: mean(scored.map((b) => b.sweep[TOP_K]!.precision)),
    f1: mean(scored.map((b) => b.sweep[TOP_K]!.f1)),
    pairF1: mean(repoRows.map((r) => r.pairF1)),
    oneGroupF1: mean(repoRows.map((r) => r.oneGroupF1)),
    ari: mean(repoRows.map((r) => r.ari)),
    linesPerSecond: lines / seconds,
    mbPerSecond: bytes / 1e6 / seconds,
  };

  return {
    name: 'logchunks',
    summary:
      `${m.builds} failed builds of 20 repositories (${m.located} chunks located). Flagged lines = the ${kName(TOP_K)} ranges of ` +
      '`failureRanges` (the ranges `dream logs failure` prints); grouping key = the top range\'s signature key. ' +
      `hit@1 ${fmt(m.hit1)}, chunk-line recall ${fmt(m.recall)} at precision ${fmt(m.precision)}, ` +
      `pairwise F1 ${fmt(m.pairF1)} (one group: ${fmt(m.oneGroupF1)}), mean ARI ${fmt(m.ari)}.`,
    tables: [
      {
        title: 'Means over builds (line metrics) and over repositories (grouping)',
        columns: ['builds', 'hit@1', 'hit@3', 'recall', 'precision', 'F1', 'pairwise F1', 'one-group F1', 'ARI', 'MB/s'],
        rows: [[m.located, m.hit1, m.hit3, m.recall, m.precision, m.f1, m.pairF1, m.oneGroupF1, m.ari, fmt(m.mbPerSecond, 1)]],
      },
      {
        title: 'Operating points: which ranges are flagged',
        columns: ['ranges flagged', 'recall', 'precision', 'F1'],
        rows: SWEEP.map((k) => [kName(k), mean(scored.map((b) => b.sweep[k]!.recall)), mean(scored.map((b) => b.sweep[k]!.precision)), mean(scored.map((b) => b.sweep[k]!.f1))]),
      },
      {
        title: 'Per repository',
        columns: ['repository', 'builds', 'hit@1', 'recall', 'precision', 'groups', 'categories', 'pairwise F1', 'one-group F1', 'ARI'],
        rows: repoRows.map((r) => [r.repo, r.builds, r.hit1, r.recall, r.precision, r.groups, r.categories, r.pairF1, r.oneGroupF1, r.ari]),
      },
    ],
    json: { metrics: m, top_k: TOP_K, repositories: repoRows, builds },
    notes: [
      'Gold lines: the chunk\'s last occurrence in the log split on \\r\\n|\\r|\\n, blank lines dropped, mapped to \\n-numbered lines (README section 2).',
      'Predicted lines: every non-blank line of the top K ranges; the ranges include their context (headers, stack frames).',
      'The scanner reads no label; no rule is specific to a repository or to this data set.',
    ],
  };
}
