import { eventText } from '../../src/sessions/event-text.ts';
/** Builders for sessions the engine tests feed in directly (no dependency on the ingest module). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitLines } from '../../src/core/lines.ts';
import type { Session, SessionEvent } from '../../src/sessions/schema.ts';
import type { SessionInput } from '../../src/engine/types.ts';
import type { Finding } from '../../src/engine/findings.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/engine/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

export function makeSession(id: string, kind: Session['kind'], title = id, startedAt: string | null = null): Session {
  return {
    id,
    type: 'session',
    kind,
    format: kind === 'build_log' ? 'text_log' : 'managed_agents',
    title,
    source: { path: title, bytes: 0, sha256: '0'.repeat(64), gzip: false, original_file: 'original' },
    created_at: '2024-01-01T00:00:00.000Z',
    started_at: startedAt,
    ended_at: null,
    line_count: 0,
    event_count: 0,
    outcome: null,
    metadata: {},
    warnings: [],
    archived_at: null,
  };
}

/** A build log as ingest would store it: log.lines events of `chunk` lines each, numbers kept. */
export function logEvents(text: string, chunk = 4): SessionEvent[] {
  const lines = splitLines(text);
  const events: SessionEvent[] = [];
  for (let i = 0; i < lines.length; i += chunk) {
    const part = lines.slice(i, i + chunk);
    events.push({
      id: `sevt_log${String(i / chunk).padStart(4, '0')}`,
      type: 'log.lines',
      processed_at: null,
      source_lines: [i + 1, i + part.length],
      content: [{ type: 'text', text: part.join('\n') }],
    });
  }
  return events;
}

export function input(session: Session, events: SessionEvent[], sequence = 0): SessionInput {
  return {
    session,
    sequence,
    events: async function* () {
      yield* events;
    },
  };
}

let counter = 0;
function nextId(): string {
  counter++;
  return `sevt_t${String(counter).padStart(6, '0')}`;
}

export const ev = {
  user: (text: string): SessionEvent => ({ id: nextId(), type: 'user.message', processed_at: null, source_lines: null, content: [{ type: 'text', text }] }),
  agent: (text: string): SessionEvent => ({ id: nextId(), type: 'agent.message', processed_at: null, source_lines: null, content: [{ type: 'text', text }] }),
  use: (name: string, inputObj: Record<string, unknown>, toolUseId: string): SessionEvent => ({
    id: nextId(),
    type: 'agent.tool_use',
    processed_at: null,
    source_lines: null,
    name,
    input: inputObj,
    tool_use_id: toolUseId,
  }),
  result: (text: string, toolUseId: string, isError: boolean | null): SessionEvent => ({
    id: nextId(),
    type: 'agent.tool_result',
    processed_at: null,
    source_lines: null,
    tool_use_id: toolUseId,
    content: [{ type: 'text', text }],
    is_error: isError,
  }),
};

/** The text an evidence quote must be found in: what the cited event shows (the product's rule). */
export { eventText };

/** Every quote is a literal substring of the cited event's text (for logs: of a cited line's visible text). */
export function unverifiableQuotes(findings: Finding[], events: SessionEvent[], visibleLine?: (n: number) => string): string[] {
  const bad: string[] = [];
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const f of findings) {
    for (const e of f.evidence) {
      if (e.quote.length === 0 || e.quote.length > 300) bad.push(`${f.key}: bad quote length`);
      const src = e.event_id ? byId.get(e.event_id) : undefined;
      if (!src) {
        bad.push(`${f.key}: unknown event ${e.event_id}`);
        continue;
      }
      if (visibleLine && e.lines) {
        const seen: string[] = [];
        for (let n = e.lines[0]; n <= e.lines[1]; n++) seen.push(visibleLine(n));
        if (!seen.some((l) => l.includes(e.quote))) bad.push(`${f.key}: quote not in lines ${e.lines.join('-')}`);
      } else if (!eventText(src).includes(e.quote)) {
        bad.push(`${f.key}: quote not in event: ${e.quote}`);
      }
    }
  }
  return bad;
}
