/**
 * Loghub-2k template mining: grouping accuracy (GA) and F1 grouping accuracy (FGA) per system,
 * exactly as defined in ../shared/data/README.md section 1, next to the Drain baselines in
 * ../shared/data/drain_baseline. The miner reads only the `.log` files; labels score it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { splitLines } from '../src/core/lines.ts';
import { mineLines } from '../src/engine/local/templates/miner.ts';
import { DATA, fmt, mean, type EvalResult } from './report.ts';

export const SYSTEMS = ['BGL', 'HDFS', 'Hadoop', 'OpenSSH', 'Zookeeper'] as const;

/** GA: a line is correct when its predicted group has exactly the lines of its true group. */
export function groupingAccuracy(truth: readonly string[], pred: readonly string[]): { ga: number; fga: number; pga: number; rga: number } {
  const groups = (ids: readonly string[]) => {
    const m = new Map<string, number[]>();
    ids.forEach((id, i) => {
      const g = m.get(id);
      if (g) g.push(i);
      else m.set(id, [i]);
    });
    return m;
  };
  const key = (lines: number[]) => lines.join(',');
  const trueGroups = groups(truth);
  const predGroups = groups(pred);
  const trueKeys = new Set([...trueGroups.values()].map(key));
  let correctLines = 0;
  let correctGroups = 0;
  for (const lines of predGroups.values()) {
    if (trueKeys.has(key(lines))) {
      correctGroups++;
      correctLines += lines.length;
    }
  }
  const pga = predGroups.size === 0 ? 0 : correctGroups / predGroups.size;
  const rga = trueGroups.size === 0 ? 0 : correctGroups / trueGroups.size;
  return { ga: truth.length === 0 ? 0 : correctLines / truth.length, fga: pga + rga === 0 ? 0 : (2 * pga * rga) / (pga + rga), pga, rga };
}

function parseCsvRows(text: string): string[][] {
  return splitLines(text)
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(','));
}

/** `LineId,EventId` → EventId per 1-based line; every log line must have a label. */
async function readLabels(path: string, lineCount: number): Promise<string[]> {
  const rows = parseCsvRows(await readFile(path, 'utf8')).slice(1);
  const out = new Array<string>(lineCount);
  for (const [i, row] of rows.entries()) {
    const line = Number(row[0]);
    if (!Number.isInteger(line) || line < 1 || line > lineCount || !row[1]) throw new Error(`${path}:${i + 2}: bad LineId/EventId ${JSON.stringify(row)}`);
    out[line - 1] = row[1];
  }
  const missing = out.findIndex((x) => x === undefined);
  if (missing >= 0) throw new Error(`${path}: no label for line ${missing + 1}`);
  return out;
}

interface Baselines {
  measured: Map<string, Record<string, { ga: number; fga: number }>>;
  published: Map<string, { ga: number; fga: number }>;
}

async function readBaselines(): Promise<Baselines> {
  const dir = join(DATA, 'drain_baseline');
  const measured = new Map<string, Record<string, { ga: number; fga: number }>>();
  const mrows = parseCsvRows(await readFile(join(dir, 'measured_drain_loghub_2k.csv'), 'utf8'));
  const mh = mrows[0]!;
  for (const r of mrows.slice(1)) {
    const get = (c: string) => r[mh.indexOf(c)]!;
    if (get('labels') !== 'corrected') continue;
    const rec = measured.get(get('dataset')) ?? {};
    rec[get('impl')] = { ga: Number(get('GA')), fga: Number(get('FGA')) };
    measured.set(get('dataset'), rec);
  }
  const published = new Map<string, { ga: number; fga: number }>();
  const prows = parseCsvRows(await readFile(join(dir, 'published_drain_accuracy.csv'), 'utf8'));
  const ph = prows[0]!;
  for (const r of prows.slice(1)) {
    published.set(r[0]!, { ga: Number(r[ph.indexOf('loghub2_GA_2k')]), fga: Number(r[ph.indexOf('loghub2_FGA_2k')]) });
  }
  return { measured, published };
}

export async function run(): Promise<EvalResult> {
  const baselines = await readBaselines();
  const rows: (string | number)[][] = [];
  const perSystem: Record<string, unknown> = {};
  const gas: number[] = [];
  const fgas: number[] = [];
  let worstGap = Infinity;
  for (const sys of SYSTEMS) {
    const lines = splitLines(await readFile(join(DATA, 'loghub_2k', sys, `${sys}_2k.log`), 'utf8'));
    const truth = await readLabels(join(DATA, 'loghub_2k', sys, `${sys}_2k.labels.csv`), lines.length);
    // Best of 5: the first run pays for JIT warm-up, which is not what a long log would see.
    let best = Infinity;
    let mined: ReturnType<typeof mineLines> | undefined;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      mined = mineLines(lines);
      best = Math.min(best, performance.now() - t0);
    }
    const pred = mined!.lines.map((l) => l.id);
    const score = groupingAccuracy(truth, pred);
    const lp = baselines.measured.get(sys)?.logparser_Drain ?? { ga: NaN, fga: NaN };
    const d3 = baselines.measured.get(sys)?.Drain3_default ?? { ga: NaN, fga: NaN };
    const pub = baselines.published.get(sys) ?? { ga: NaN, fga: NaN };
    const linesPerSec = lines.length / (best / 1000);
    gas.push(score.ga);
    fgas.push(score.fga);
    worstGap = Math.min(worstGap, score.ga - lp.ga);
    rows.push([sys, score.ga, lp.ga, d3.ga, pub.ga, score.fga, lp.fga, d3.fga, pub.fga, new Set(truth).size, mined!.templates.length, Math.round(linesPerSec).toLocaleString('en-US')]);
    perSystem[sys] = {
      lines: lines.length,
      GA: score.ga,
      FGA: score.fga,
      PGA: score.pga,
      RGA: score.rga,
      true_groups: new Set(truth).size,
      predicted_groups: new Set(pred).size,
      lines_per_second: Math.round(linesPerSec),
      baselines: { logparser_Drain: lp, Drain3_default: d3, published_loghub2: pub },
    };
  }
  const meanOf = (f: (s: { ga: number; fga: number }) => number, pick: (sys: string) => { ga: number; fga: number } | undefined) =>
    mean(SYSTEMS.map((s) => f(pick(s) ?? { ga: NaN, fga: NaN })));
  const lpMean = (f: (s: { ga: number; fga: number }) => number) => meanOf(f, (s) => baselines.measured.get(s)?.logparser_Drain);
  const d3Mean = (f: (s: { ga: number; fga: number }) => number) => meanOf(f, (s) => baselines.measured.get(s)?.Drain3_default);
  const pubMean = (f: (s: { ga: number; fga: number }) => number) => meanOf(f, (s) => baselines.published.get(s));
  rows.push(['mean', mean(gas), lpMean((s) => s.ga), d3Mean((s) => s.ga), pubMean((s) => s.ga), mean(fgas), lpMean((s) => s.fga), d3Mean((s) => s.fga), pubMean((s) => s.fga), '', '', '']);
  const meanGa = mean(gas);
  return {
    name: 'loghub',
    summary: `Template mining on Loghub-2k (corrected labels), one general configuration for all systems: mean GA ${fmt(meanGa, 4)}, mean FGA ${fmt(mean(fgas), 4)}; worst GA gap to logparser-Drain ${fmt(worstGap, 4)} (target: mean GA ≥ 0.90, no system more than 0.02 below).`,
    tables: [
      {
        title: 'GA and FGA per system (ours vs Drain)',
        columns: ['system', 'GA', 'GA logparser-Drain', 'GA Drain3 default', 'GA published', 'FGA', 'FGA logparser-Drain', 'FGA Drain3 default', 'FGA published', 'true groups', 'templates', 'lines/s'],
        rows,
      },
    ],
    json: { systems: perSystem, mean: { GA: meanGa, FGA: mean(fgas) }, worst_gap_to_logparser_drain: worstGap, targets_met: meanGa >= 0.9 && worstGap >= -0.02 },
    notes: [
      'GA and FGA follow ../shared/data/README.md section 1; baselines are read from ../shared/data/drain_baseline (corrected labels; published = Loghub-2.0, ISSTA 2024).',
      'logparser-Drain uses per-system log formats, masking regexes and thresholds; ours uses none (headers are handled by the general masks and the tree).',
      'lines/s: best of 5 in-memory runs over the 2,000 lines, masking included; later runs find odd tokens already in the masking memo (templates/mask-tokens.ts), as a long log would (the streaming throughput is measured by `npm run bench -- templates`).',
    ],
  };
}
