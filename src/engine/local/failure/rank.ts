/**
 * Ranking the failure blocks of one log. What a reader wants first is the first detailed
 * failure of the step that failed: compilers and test runners print the cause first and its
 * consequences after, and the counts ("3 failing"), tool epilogues ("npm ERR! Test failed") and
 * CI exit lines after that only point back at it. So a block scores by its best line, gains when
 * it sits in the step that exited non-zero (no new command between it and the exit), gains again
 * when it is the first detailed block of that step, and loses when all it holds is a count or an
 * epilogue.
 */
import type { FailureCategory } from '../log-rules.ts';
import { cleanLine } from '../log-rules.ts';
import { maskText } from '../mask.ts';
import type { RankedRange, ScannedLine } from './types.ts';

export interface Block {
  start: number;
  end: number;
  /** Failure lines of the block, in order (bounded). */
  signals: ScannedLine[];
  /** How many of them are strong (not weak). */
  strong: number;
}

export interface Steps {
  /** Lines of command echoes (`$ npm test`): a step starts. */
  commands: readonly number[];
  /** Lines of non-zero exit statuses, except the CI's final summary. */
  exits: readonly number[];
  total: number;
}

const FAILING_STEP = 3;
const FIRST_IN_STEP = 1.5;
const SUMMARY_PENALTY = 1.5;

export function rankBlocks(blocks: readonly Block[], steps: Steps): RankedRange[] {
  const ranked = blocks.map((b) => {
    const best = bestLine(b);
    return { b, best, step: failingStep(b, steps), detail: isDetail(best) };
  });
  // The first detailed block of each failing step (keyed by the exit that ends it).
  const firstOfStep = new Map<number, number>();
  for (const r of ranked) if (r.step !== null && r.detail && !firstOfStep.has(r.step)) firstOfStep.set(r.step, r.b.start);

  const out = ranked.map(({ b, best, step, detail }): RankedRange => {
    const position = b.end / steps.total;
    const support = Math.min(4, Math.max(0, b.strong - 1)) * 0.3;
    let score = best.score + support + 0.5 * position;
    if (step !== null) score += FAILING_STEP;
    if (step !== null && detail && firstOfStep.get(step) === b.start) score += FIRST_IN_STEP;
    if (best.summary) score -= SUMMARY_PENALTY;
    if (b.signals.every((s) => s.known)) score *= 0.2;
    return {
      start: b.start,
      end: b.end,
      score: Math.round(score * 100) / 100,
      signature: signatureOf(best, b.signals),
      category: best.category as FailureCategory,
      best,
    };
  });
  out.sort((a, b) => b.score - a.score || b.start - a.start);
  return out;
}

function isDetail(s: ScannedLine): boolean {
  return !s.weak && !s.summary && !s.boiler && s.exitCode === undefined;
}

/**
 * The exit line that ends the step holding the block, when no command starts between the block
 * and that exit; null when the block's step did not fail (or the log shows no steps).
 */
function failingStep(b: Block, steps: Steps): number | null {
  const exit = firstAtLeast(steps.exits, b.end);
  if (exit === undefined) return null;
  const cmd = firstAtLeast(steps.commands, b.end + 1);
  return cmd !== undefined && cmd < exit ? null : exit;
}

function firstAtLeast(sorted: readonly number[], v: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

/** Highest score among strong lines; among equals the one that says more, then the first. */
function bestLine(b: Block): ScannedLine {
  const strong = b.signals.filter((s) => !s.weak);
  const pool = strong.length > 0 ? strong : b.signals;
  let best = pool[0]!;
  let bestWords = Math.min(8, wordCount(maskText(cleanLine(best.visible))));
  for (const c of pool.slice(1)) {
    if (c.score < best.score) continue;
    const words = Math.min(8, wordCount(maskText(cleanLine(c.visible))));
    if (c.score > best.score || words > bestWords) {
      best = c;
      bestWords = words;
    }
  }
  return best;
}

/** Words of a signature that are not placeholders: how much it says on its own. */
function wordCount(sig: string): number {
  return sig.replace(/<[A-Z]+>/g, ' ').split(/[^A-Za-z]+/).filter((w) => w.length >= 3).length;
}

/**
 * The masked, cleaned text of the best line. A bare "ERROR" or "Failure:" says nothing, so the
 * next lines of the block are appended until the signature names something.
 */
export function signatureOf(best: ScannedLine, group: readonly ScannedLine[]): string {
  let sig = stripLead(maskText(cleanLine(best.visible)));
  if (wordCount(sig) < 2) {
    for (const c of group) {
      if (c.line <= best.line) continue;
      const more = stripLead(maskText(cleanLine(c.visible)));
      if (more === '') continue;
      sig = sig === '' ? more : `${sig} ${more}`;
      if (wordCount(sig) >= 2) break;
    }
  }
  return sig.length > 200 ? sig.slice(0, 200) : sig;
}

// Leading timestamps, counters and log-level decorations vary between runs, not between failures.
function stripLead(sig: string): string {
  return sig.replace(/^(?:(?:<TS>|<NUM>|\[<TS>\]|\[<NUM>\])[\s:,.)-]*)+/, '').trim();
}

/** Ranked ranges with one range per signature (the best-ranked one): a retried step repeats. */
export function distinctBySignature<T extends { signature: string }>(ranked: T[]): T[] {
  const seen = new Set<string>();
  return ranked.filter((r) => {
    if (seen.has(r.signature)) return false;
    seen.add(r.signature);
    return true;
  });
}
