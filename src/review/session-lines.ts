import { InvalidInputError, NotFoundError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { eventText } from '../sessions/event-text.ts';
import { LineRedactor, redactSecrets } from '../sessions/redact.ts';
import { getSession, readEvents, readOriginalLines } from '../sessions/store.ts';

/** Most lines one view returns; a reviewer pages for more. */
export const MAX_WINDOW = 2000;
/** Lines shown when no range is asked for. */
export const DEFAULT_WINDOW = 200;
/** A longer line is cut for display (a minified bundle in a log); the cut is marked. */
export const MAX_LINE_CHARS = 4000;

export interface SessionLinesQuery {
  start?: number;
  end?: number;
  context?: number;
  event?: string;
}

export interface SessionLines {
  session: { id: string; title: string; kind: string; format: string; line_count: number; source_path: string };
  /** The cited range, highlighted by the page; null when none was asked for. */
  highlight: [number, number] | null;
  start: number;
  end: number;
  lines: { n: number; text: string }[];
  /** The cited event, when one was named: its type and normalized (redacted) text. */
  event: { id: string; type: string; source_lines: [number, number] | null; text: string } | null;
}

function clip(text: string): string {
  return text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)} … [${text.length - MAX_LINE_CHARS} more characters]` : text;
}

async function findEvent(paths: RootPaths, sessionId: string, eventId: string): Promise<NonNullable<SessionLines['event']>> {
  for await (const ev of readEvents(paths, sessionId)) {
    if (ev.id === eventId) return { id: ev.id, type: ev.type, source_lines: ev.source_lines, text: redactSecrets(eventText(ev)).text };
  }
  throw new NotFoundError('event', `${eventId} (session ${sessionId})`);
}

/**
 * The lines of a session's original file around a cited range, as the evidence link opens them.
 * The original bytes are kept unredacted at import (so line numbers stay exact), so every line is
 * redacted again here before it leaves the server. A range given as an event id is resolved to
 * the event's own lines.
 */
export async function sessionLines(paths: RootPaths, id: string, q: SessionLinesQuery): Promise<SessionLines> {
  const s = await getSession(paths, id);
  const event = q.event === undefined ? null : await findEvent(paths, s.id, q.event);
  let highlight: [number, number] | null = null;
  if (q.start !== undefined) highlight = [q.start, q.end ?? q.start];
  else if (q.end !== undefined) throw new InvalidInputError('invalid_query', 'query parameter end: given without start', { field: 'end' });
  else if (event?.source_lines) highlight = event.source_lines;
  if (highlight && highlight[1] < highlight[0]) {
    throw new InvalidInputError('invalid_query', `query parameters start/end: ${highlight[0]}-${highlight[1]} ends before it starts`, { field: 'end' });
  }
  const context = q.context ?? 5;
  let start = highlight ? Math.max(1, highlight[0] - context) : 1;
  let end = highlight ? highlight[1] + context : DEFAULT_WINDOW;
  if (end - start + 1 > MAX_WINDOW) end = start + MAX_WINDOW - 1;
  end = Math.max(Math.min(end, s.line_count), start);
  if (start > s.line_count && s.line_count > 0) {
    throw new InvalidInputError('invalid_query', `query parameter start: ${start} is past the end of session ${s.id} (${s.line_count} lines)`, { field: 'start' });
  }
  const redactor = new LineRedactor();
  const raw = s.line_count === 0 ? [] : await readOriginalLines(paths, s.id, start, end);
  if (raw.length === 0) start = 0;
  return {
    session: { id: s.id, title: s.title, kind: s.kind, format: s.format, line_count: s.line_count, source_path: s.source.path },
    highlight,
    start,
    end: raw.length === 0 ? 0 : start + raw.length - 1,
    lines: raw.map((text, i) => ({ n: start + i, text: clip(redactor.redactLine(text)) })),
    event,
  };
}
