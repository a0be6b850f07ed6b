/**
 * Build-log findings: the top failure signatures of one log become `failure` findings whose key
 * is a hash of the masked signature, so the same failure in another run merges with this one.
 */
import type { Session } from '../../sessions/schema.ts';
import type { Finding } from '../findings.ts';
import { distinctBySignature, FailureScanner, type RankedRange } from './failure-scan.ts';
import { quoteOf, shortHash, shorten } from './text.ts';

export { failureRanges } from './failure/ranges.ts';
export type { FailureRange } from './failure/types.ts';

// At most this many distinct failures per log; a log that fails has one or two real causes,
// everything further down the ranking is mostly noise.
const MAX_FINDINGS = 3;
// A secondary failure is reported only when it scores at least this share of the best one.
const MIN_SHARE = 0.6;
const NEAR_LINES = 10;

export interface BuildLogContext {
  session: Session;
  sequence: number;
  /** processed_at of each event, by id, for observed_at. */
  eventTimes: ReadonlyMap<string, string | null>;
}

export function buildLogFindings(scanner: FailureScanner, ctx: BuildLogContext): Finding[] {
  const ranked = distinctBySignature(scanner.finish()).filter((r) => r.signature !== '');
  const top = ranked[0];
  if (!top) return [];
  const exitCode = scanner.exitCode;
  // A secondary range right next to a picked one is the same failure told in more lines
  // (npm's ERR! block, a stack trace's tail): it is not a second cause.
  const picked: RankedRange[] = [];
  for (const r of ranked) {
    if (picked.length >= MAX_FINDINGS || (picked.length > 0 && r.score < top.score * MIN_SHARE)) continue;
    if (picked.some((p) => r.start <= p.end + NEAR_LINES && r.end >= p.start - NEAR_LINES)) continue;
    picked.push(r);
  }
  return picked.map((r, i) => toFinding(r, i, top.score, exitCode, ctx));
}

function toFinding(
  r: RankedRange,
  rank: number,
  topScore: number,
  exitCode: number | undefined,
  ctx: BuildLogContext,
): Finding {
  const quote = quoteOf(r.best.visible);
  const observedAt = (r.best.eventId ? ctx.eventTimes.get(r.best.eventId) : null) ?? ctx.session.started_at;
  // A failure named only by an exit status ("The command … exited with 1") is a weak finding.
  const weak = r.best.weak || r.category === 'exit';
  const confidence = Math.min(0.95, (weak ? 0.3 : 0.55) + r.score / 40 - rank * 0.1 + (r.score >= topScore ? 0.05 : 0));
  const attributes: Record<string, string | number | boolean> = {
    signature: r.signature,
    category: r.category,
    score: r.score,
    rank: rank + 1,
  };
  if (exitCode !== undefined) attributes.exit_code = exitCode;
  const lines: [number, number] = [r.start, r.end];
  return {
    kind: 'failure',
    key: `log:${shortHash(r.signature)}`,
    title: `Build fails: ${shorten(r.signature, 200)}`,
    body:
      `The build log ${JSON.stringify(shorten(ctx.session.title, 120))} fails at lines ${r.start}–${r.end} ` +
      `(${r.category}${exitCode !== undefined ? `, exit code ${exitCode}` : ''}). ` +
      `Signature: ${r.signature}`,
    value: null,
    observed_at: observedAt ?? null,
    sequence: ctx.sequence,
    evidence: [
      {
        session_id: ctx.session.id,
        event_id: r.best.eventId,
        lines,
        quote,
        observed_at: observedAt ?? null,
      },
    ],
    attributes,
    confidence: Math.max(0.05, Math.round(confidence * 100) / 100),
  };
}
