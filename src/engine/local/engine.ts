/**
 * The local engine: deterministic text mining of one session, no network.
 *
 *   events ─┬─ log.lines ──────────► FailureScanner (streaming) ─► build-log failures
 *           ├─ tool calls/results ─► transcript failures + workarounds
 *           └─ user messages ──────► preferences + facts
 *                                        └─► instructions (focus/exclude) ─► findings
 *
 * Log lines are streamed and never kept; other events are kept (transcripts are small).
 */
import { splitLines } from '../../core/lines.ts';
import type { SessionEvent } from '../../sessions/schema.ts';
import type { Finding } from '../findings.ts';
import type { Engine, ExtractContext, ExtractResult, SessionInput } from '../types.ts';
import { buildLogFindings } from './build-log.ts';
import { FailureScanner } from './failure-scan.ts';
import { applyDirectives, parseDirectives } from './instructions.ts';
import { statementFindings } from './statements.ts';
import { conversationFindings } from './conversation.ts';
import { transcriptFindings } from './transcript.ts';
import { RunInfoScanner, type RunInfo } from './run-info.ts';
import type { Session } from '../../sessions/schema.ts';
import type { RunSummary } from '../findings.ts';

/**
 * The run a build log describes. Explicit status lines win; otherwise a run with failures failed,
 * a complete run without any passed, and an incomplete one is unknown (never counted as a pass).
 */
export function runSummary(session: Session, sequence: number, info: RunInfo, failureKeys: string[]): RunSummary {
  const incomplete = session.metadata.truncated ?? session.metadata.partial ?? null;
  const status = info.status ?? (failureKeys.length > 0 ? 'failed' : incomplete ? 'unknown' : 'passed');
  // A log that names no job belongs to its folder's job. Only the last two folders name it, so
  // a store reads the same wherever the logs were kept (`ci/job-a`, not `/home/ana/ci/job-a`).
  const dir = session.source.path.replace(/\\/g, '/').split('/').slice(0, -1).filter((p) => p !== '' && p !== '.').slice(-2).join('/');
  return {
    session_id: session.id,
    sequence,
    observed_at: session.started_at,
    job: info.job ?? `dir:${dir || '.'}`,
    revision: info.revision,
    status,
    status_evidence: info.statusEvidence,
    revision_evidence: info.revisionEvidence,
    failure_keys: [...new Set(failureKeys)].sort(),
    incomplete,
    end_evidence: info.endEvidence,
  };
}

export class LocalEngine implements Engine {
  readonly name = 'local';

  async extract(input: SessionInput, ctx: ExtractContext): Promise<ExtractResult> {
    const { session, sequence } = input;
    const warnings: string[] = [];
    const scanner = new FailureScanner();
    const runInfo = new RunInfoScanner(session.id);
    const eventTimes = new Map<string, string | null>();
    const kept: SessionEvent[] = [];
    let logEvents = 0;
    let nextLine = 1;

    for await (const ev of input.events()) {
      if (ev.type === 'log.lines') {
        logEvents++;
        eventTimes.set(ev.id, ev.processed_at);
        // One block per line or one block of many lines: both number the same way.
        const lines = ev.content.flatMap((b) => (b.text === '' ? [''] : splitLines(b.text)));
        const first = ev.source_lines?.[0] ?? nextLine;
        const expected = ev.source_lines ? ev.source_lines[1] - ev.source_lines[0] + 1 : lines.length;
        // Joined text loses trailing empty lines ("a\n" + "" → "a\n"); source_lines says how many.
        while (lines.length < expected && lines.length > 0) lines.push('');
        if (lines.length !== expected) {
          warnings.push(
            `session ${session.id}, event ${ev.id}: source_lines ${first}-${first + expected - 1} ` +
              `do not match its ${lines.length} lines; numbering from ${first}`,
          );
        }
        lines.forEach((l, i) => {
          scanner.push(l, first + i, ev.id);
          runInfo.push(l, first + i, ev.id, ev.processed_at);
        });
        nextLine = first + lines.length;
      } else {
        kept.push(ev);
      }
    }

    const findings: Finding[] = [];
    if (logEvents > 0) findings.push(...buildLogFindings(scanner, { session, sequence, eventTimes }));
    findings.push(...transcriptFindings(kept, { session, sequence }));
    findings.push(...statementFindings(kept, { session, sequence }));
    if (session.kind === 'conversation') findings.push(...conversationFindings(kept, { session, sequence }));
    const kept2 = applyDirectives(findings, parseDirectives(ctx.instructions));
    if (logEvents === 0) return { findings: kept2, warnings };
    const failureKeys = findings.filter((f) => f.kind === 'failure').map((f) => f.key);
    return { findings: kept2, warnings, run: runSummary(session, sequence, runInfo.result(), failureKeys) };
  }
}
