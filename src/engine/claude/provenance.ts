/**
 * Model output is checked against the real session before it becomes a finding: every piece of
 * evidence must name an event or lines that exist, and its quote must occur there. Evidence that
 * does not is dropped and reported; a finding left without evidence is dropped.
 */
import { visibleText } from '../../core/lines.ts';
import type { Session, SessionEvent } from '../../sessions/schema.ts';
import { eventText } from '../../sessions/event-text.ts';
import type { Evidence } from '../findings.ts';

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface SessionText {
  events: Map<string, { text: string; processed_at: string | null }>;
  lines: Map<number, { text: string; event_id: string; processed_at: string | null }>;
}

export function indexSession(events: readonly SessionEvent[]): SessionText {
  const index: SessionText = { events: new Map(), lines: new Map() };
  for (const ev of events) {
    const text = eventText(ev);
    index.events.set(ev.id, { text, processed_at: ev.processed_at });
    if (ev.type === 'log.lines' && ev.source_lines) {
      text.split('\n').forEach((l, i) => index.lines.set(ev.source_lines![0] + i, { text: visibleText(l), event_id: ev.id, processed_at: ev.processed_at }));
    }
  }
  return index;
}

export interface ModelEvidence {
  event_id: string | null;
  lines: [number, number] | null;
  quote: string;
}

/** The evidence as a verified Evidence, or the reason it cannot be one. */
export function verifyEvidence(session: Session, index: SessionText, e: ModelEvidence): Evidence | string {
  const quote = norm(e.quote);
  if (quote === '') return 'empty quote';
  if (e.lines) {
    const [a, b] = e.lines;
    if (a < 1 || b < a || b - a > 200) return `lines ${a}-${b} are not a valid range`;
    const texts: string[] = [];
    for (let n = a; n <= b; n++) {
      const l = index.lines.get(n);
      if (l) texts.push(l.text);
    }
    if (texts.length === 0) return `lines ${a}-${b} do not exist in ${session.id}`;
    if (!norm(texts.join('\n')).includes(quote)) return `quote not found in lines ${a}-${b}`;
    const first = index.lines.get(a) ?? index.lines.get(b)!;
    return { session_id: session.id, event_id: e.event_id ?? first.event_id, lines: [a, b], quote: e.quote.trim(), observed_at: first.processed_at ?? session.started_at };
  }
  if (e.event_id) {
    const ev = index.events.get(e.event_id);
    if (!ev) return `event ${e.event_id} does not exist in ${session.id}`;
    if (!norm(ev.text).includes(quote)) return `quote not found in event ${e.event_id}`;
    return { session_id: session.id, event_id: e.event_id, lines: null, quote: e.quote.trim(), observed_at: ev.processed_at ?? session.started_at };
  }
  return 'evidence names neither an event nor lines';
}
