/**
 * What the Claude extractors are sent: the local engine's compression of a session, never the
 * raw transcript. Build logs become a template table with counts plus the failure regions with
 * their exact lines; transcripts become their messages and tool calls with errors deduplicated;
 * conversations their turns. Every line the model may cite carries its event id or line number.
 */
import { splitLines, visibleText } from '../../core/lines.ts';
import type { Session, SessionEvent } from '../../sessions/schema.ts';
import { failureRanges } from '../local/failure/ranges.ts';
import { TemplateMiner } from '../local/templates/miner.ts';
import { callFailure } from '../local/transcript.ts';
import { toolCalls } from '../local/tool-calls.ts';

const MAX_TEMPLATES = 60;
const MAX_REGION_LINES = 40;
const MAX_TEXT = 600;
const MAX_DIGEST = 60_000;

function clip(text: string, max = MAX_TEXT): string {
  const t = text.replace(/\s+$/g, '');
  return t.length <= max ? t : `${t.slice(0, max)} … [${t.length - max} more characters]`;
}

function header(session: Session): string[] {
  return [
    `session ${session.id} (${session.kind}, ${session.format}) "${session.title}"`,
    `when: ${session.started_at ?? 'unknown'} → ${session.ended_at ?? 'unknown'}; ${session.line_count} lines, ${session.event_count} events`,
    ...(session.outcome ? [`outcome: ${JSON.stringify(session.outcome)}`] : []),
    ...(session.metadata.truncated || session.metadata.partial ? [`incomplete log: ${session.metadata.truncated ?? session.metadata.partial}`] : []),
  ];
}

/** A build log: templates with counts, then the failure regions with their numbered lines. */
function buildLogDigest(events: readonly SessionEvent[]): string[] {
  const lines: string[] = [];
  const eventOfLine: string[] = [];
  for (const ev of events) {
    if (ev.type !== 'log.lines' || !ev.source_lines) continue;
    const text = ev.content.map((b) => b.text).join('\n');
    for (const l of splitLines(text + '\n')) {
      lines.push(l);
      eventOfLine.push(ev.id);
    }
  }
  const miner = new TemplateMiner();
  for (const l of lines) miner.add(visibleText(l));
  const templates = miner.templates();
  const out = [`## templates (${templates.length} distinct over ${lines.length} lines; most frequent first, top ${MAX_TEMPLATES})`];
  for (const t of templates.slice(0, MAX_TEMPLATES)) out.push(`${String(t.count).padStart(6)}× ${clip(t.template, 200)}`);
  const ranges = failureRanges(lines, { max: 5 });
  out.push('', `## failure regions (ranked; cite them as lines [start, end] with a quote from a line)`);
  for (const r of ranges) {
    out.push(`### lines ${r.start}-${r.end} (score ${r.score}, event ${eventOfLine[r.start - 1] ?? '?'}): ${r.signature}`);
    const end = Math.min(r.end, r.start + MAX_REGION_LINES - 1);
    for (let n = r.start; n <= end; n++) out.push(`L${n}: ${clip(visibleText(lines[n - 1] ?? ''), 300)}`);
    if (end < r.end) out.push(`… ${r.end - end} more lines`);
  }
  if (ranges.length === 0) out.push('(no failure found by the local engine)');
  return out;
}

/** A transcript: user and agent messages, tool calls with their results; repeated errors once. */
function transcriptDigest(events: readonly SessionEvent[]): string[] {
  const out = ['## events (cite them by event id, with a quote from the event)'];
  const calls = new Map(toolCalls(events).map((c) => [c.result.id, c]));
  const seenErrors = new Map<string, number>();
  for (const ev of events) {
    if (ev.type === 'user.message' || ev.type === 'agent.message' || ev.type === 'system.message') {
      if (ev.type === 'system.message') continue;
      out.push(`[${ev.id}] ${ev.type === 'user.message' ? 'user' : 'agent'}: ${clip(ev.content.map((b) => b.text).join('\n'))}`);
    } else if (ev.type === 'agent.tool_use') {
      out.push(`[${ev.id}] tool call ${ev.name}: ${clip(JSON.stringify(ev.input), 300)}`);
    } else if (ev.type === 'agent.tool_result') {
      const call = calls.get(ev.id);
      const failure = call ? callFailure(call) : null;
      const text = ev.content.map((b) => b.text).join('\n');
      if (failure) {
        const n = (seenErrors.get(failure.signature) ?? 0) + 1;
        seenErrors.set(failure.signature, n);
        out.push(n === 1 ? `[${ev.id}] tool FAILED: ${clip(text, 400)}` : `[${ev.id}] tool FAILED again (same error as before, #${n}): ${failure.signature}`);
      } else {
        out.push(`[${ev.id}] tool ok: ${clip(text, 160)}`);
      }
    }
  }
  return out;
}

export function digestSession(session: Session, events: readonly SessionEvent[]): string {
  const body = session.kind === 'build_log' ? buildLogDigest(events) : transcriptDigest(events);
  const text = [...header(session), '', ...body].join('\n');
  return text.length <= MAX_DIGEST ? text : `${text.slice(0, MAX_DIGEST)}\n… [digest cut at ${MAX_DIGEST} characters]`;
}
