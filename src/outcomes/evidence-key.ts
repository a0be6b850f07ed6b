import type { Evidence } from '../engine/findings.ts';

/**
 * The identity of a piece of cited evidence: where it points (session, event, lines), not what it
 * quotes. The coordinator resolves each key to the exact cited text; the grader looks quotes up
 * by it; a `drop_evidence` gap names it.
 */
export function evidenceKey(e: Pick<Evidence, 'session_id' | 'event_id' | 'lines'>): string {
  const lines = e.lines === null ? '-' : `L${e.lines[0]}-${e.lines[1]}`;
  return `${e.session_id}#${e.event_id ?? '-'}#${lines}`;
}
