/**
 * Failure ranges of a log held as lines: the pure form the evaluations, tests and
 * `dream logs failure` use on top of the streaming scanner.
 */
import { FailureScanner } from '../failure-scan.ts';
import { KnownTemplates } from './known.ts';
import { distinctBySignature } from './rank.ts';
import type { FailureRange } from './types.ts';

/**
 * The pure form used by the eval and `dream logs failure`: ranked failure ranges of a log given
 * as its lines (as splitLines returns them), best first, one per signature. Line numbers are
 * 1-based indices into `lines`. `passLines` are passing runs of the same job: lines whose
 * template occurs in them are discounted.
 */
export function failureRanges(lines: string[], opts: { passLines?: string[][]; max?: number } = {}): FailureRange[] {
  const known = opts.passLines && opts.passLines.length > 0 ? KnownTemplates.of(opts.passLines) : undefined;
  const scanner = new FailureScanner(known ? { known } : {});
  lines.forEach((l, i) => scanner.push(l, i + 1));
  return topRanges(scanner, opts.max ?? 5);
}

/** The best `max` ranges of a finished scan, one per signature, in the public shape. */
export function topRanges(scanner: FailureScanner, max: number): FailureRange[] {
  return distinctBySignature(scanner.finish())
    .slice(0, max)
    .map(({ start, end, score, signature }) => ({ start, end, score, signature }));
}

