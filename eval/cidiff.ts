/**
 * CiDiff (../shared/data/cidiff, README section 3): error lines of a failing Java CI log, with
 * and without the passing log of the same job, next to a plain LCS diff baseline.
 *
 *   fail.log ─► failureRanges(fail [, pass]) ─► flagged ranges ─► lines P ─┐
 *   fail.log + pass.log ─► LCS ─► fail lines outside the LCS ─► lines P ──┴► P − C vs E
 *
 * `groundtruth` numbers lines like Java's readLine (\r\n, \r or \n end a line); they are mapped
 * to the project's \n numbering before scoring. Labels are read for scoring only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitLines } from '../src/core/lines.ts';
import { failureRanges } from '../src/engine/local/failure/ranges.ts';
import type { FailureRange } from '../src/engine/local/failure/types.ts';
import { KnownTemplates, novelLines } from '../src/engine/local/failure/known.ts';
import { DATA, fmt, mean, type EvalResult } from './report.ts';

// The same operating point as the logchunks eval: the top range and any close second.
const SHARE = 0.8;
const MAX_FLAGGED = 3;

/** readLine number (1-based) → \n line number. */
function readLineToN(text: string): number[] {
  const map = [0];
  let n = 1;
  const re = /\r\n|\r|\n/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    map.push(n);
    if (m[0] !== '\r') n++;
    last = m.index + m[0].length;
  }
  if (last < text.length) map.push(n);
  return map;
}

/** E and C line sets of a ground-truth file, in \n numbering. */
export function parseGroundTruth(gt: string, toN: number[]): { E: Set<number>; C: Set<number> } {
  const E = new Set<number>();
  const C = new Set<number>();
  for (const [i, raw] of gt.split('\n').entries()) {
    const line = raw.trim();
    if (i === 0 || line === '') continue;
    const m = /^([EC])\s+(\d+)(?:-(\d+))?$/.exec(line);
    if (!m) throw new Error(`groundtruth line ${i + 1}: cannot parse ${JSON.stringify(line)}`);
    const a = Number(m[2]);
    const b = m[3] ? Number(m[3]) : a;
    for (let l = a; l <= b; l++) {
      const n = toN[l];
      if (n !== undefined) (m[1] === 'E' ? E : C).add(n);
    }
  }
  return { E, C };
}

/** Lines of `fail` (1-based) that are not part of a longest common subsequence with `pass`. */
export function lcsDiff(fail: string[], pass: string[]): Set<number> {
  const n = fail.length;
  const m = pass.length;
  // Row-by-row DP with a bit of memory per cell for the backtrack: n·m bytes.
  const dirs = new Uint8Array((n + 1) * (m + 1));
  let prev = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      if (fail[i - 1] === pass[j - 1]) {
        cur[j] = prev[j - 1]! + 1;
        dirs[i * (m + 1) + j] = 1;
      } else if (prev[j]! >= cur[j - 1]!) {
        cur[j] = prev[j]!;
        dirs[i * (m + 1) + j] = 2;
      } else {
        cur[j] = cur[j - 1]!;
        dirs[i * (m + 1) + j] = 3;
      }
    }
    [prev, cur] = [cur, prev];
  }
  const common = new Set<number>();
  for (let i = n, j = m; i > 0 && j > 0; ) {
    const d = dirs[i * (m + 1) + j];
    if (d === 1) {
      common.add(i);
      i--;
      j--;
    } else if (d === 2) i--;
    else j--;
  }
  const out = new Set<number>();
  for (let i = 1; i <= n; i++) if (!common.has(i)) out.add(i);
  return out;
}

function flaggedLines(ranges: FailureRange[]): Set<number> {
  const top = ranges[0]?.score ?? 0;
  const out = new Set<number>();
  for (const r of ranges.slice(0, MAX_FLAGGED).filter((x, i) => i === 0 || x.score >= top * SHARE)) {
    for (let l = r.start; l <= r.end; l++) out.add(l);
  }
  return out;
}


function score(P: Set<number>, E: Set<number>, C: Set<number>): { precision: number; recall: number; f1: number } {
  const p = [...P].filter((l) => !C.has(l));
  const hit = p.filter((l) => E.has(l)).length;
  const precision = p.length === 0 ? 0 : hit / p.length;
  const recall = E.size === 0 ? 0 : hit / E.size;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

type Scores = ReturnType<typeof score>;
const METHODS = ['failure ranges', 'failure ranges + pass.log', 'LCS diff baseline'] as const;

export async function run(): Promise<EvalResult> {
  const root = join(DATA, 'cidiff');
  const cases = readdirSync(root).filter((d) => !d.includes('.')).sort();
  const results: { case: string; truth: string; scores: Record<string, Scores> }[] = [];
  for (const c of cases) {
    const failText = readFileSync(join(root, c, 'fail.log'), 'utf8');
    const fail = splitLines(failText);
    const pass = splitLines(readFileSync(join(root, c, 'pass.log'), 'utf8'));
    const toN = readLineToN(failText);
    const known = KnownTemplates.of([pass]);
    const alone = flaggedLines(failureRanges(fail));
    // With the passing run: its templates discount whole ranges in the ranking, and lines of the
    // flagged ranges that also occur in the passing run are not reported as error lines.
    const withPass = novelLines(fail, known, failureRanges(fail, { passLines: [pass], max: 50 }));
    const baseline = lcsDiff(fail, pass);
    for (const truth of ['groundtruth', 'groundtruth2']) {
      const { E, C } = parseGroundTruth(readFileSync(join(root, c, truth), 'utf8'), toN);
      results.push({
        case: c,
        truth,
        scores: { [METHODS[0]]: score(alone, E, C), [METHODS[1]]: score(withPass, E, C), [METHODS[2]]: score(baseline, E, C) },
      });
    }
  }
  const meanOf = (truth: string, method: string, k: keyof Scores): number =>
    mean(results.filter((r) => r.truth === truth).map((r) => r.scores[method]![k]));
  const summaryRows = (truth: string) => METHODS.map((m) => [m, meanOf(truth, m, 'precision'), meanOf(truth, m, 'recall'), meanOf(truth, m, 'f1')]);
  const primary = summaryRows('groundtruth');
  return {
    name: 'cidiff',
    summary:
      `${cases.length} failing Java CI logs. Mean over cases against \`groundtruth\` (C lines removed from predictions): ` +
      METHODS.map((m, i) => `${m}: P ${fmt(primary[i]![1] as number)} R ${fmt(primary[i]![2] as number)} F1 ${fmt(primary[i]![3] as number)}`).join('; ') +
      '.',
    tables: [
      { title: 'Means over the 12 cases, against groundtruth', columns: ['method', 'precision', 'recall', 'F1'], rows: primary },
      { title: 'Means over the 12 cases, against groundtruth2 (second annotation)', columns: ['method', 'precision', 'recall', 'F1'], rows: summaryRows('groundtruth2') },
      {
        title: 'Per case, against groundtruth (precision / recall)',
        columns: ['case', ...METHODS],
        rows: results
          .filter((r) => r.truth === 'groundtruth')
          .map((r) => [r.case, ...METHODS.map((m) => `${fmt(r.scores[m]!.precision)} / ${fmt(r.scores[m]!.recall)}`)]),
      },
    ],
    json: { methods: METHODS, share: SHARE, max_flagged: MAX_FLAGGED, results },
    notes: [
      'Predicted lines: every line of the flagged ranges (the top range, plus ranges scoring ≥ 0.8 × the top, at most 3).',
      'With pass.log (`novelLines`): lines whose template (masked text) never occurs in pass.log, within 10 lines of any failure range (ranges ranked with pass.log discounting), plus blank lines lying between two such lines (they separate paragraphs of one message; the labels include them, and the LCS baseline flags them too).',
      'Baseline: lines of fail.log outside a longest common subsequence with pass.log (exact line comparison).',
    ],
  };
}
