import type { RootPaths } from '../core/root.ts';
import { visibleText } from '../core/lines.ts';
import type { Evidence } from '../engine/findings.ts';
import type { SessionEvent } from '../sessions/schema.ts';
import { readEvents } from '../sessions/store.ts';
import { evidenceKey } from '../outcomes/evidence-key.ts';

/** The text an event shows a reader: its text blocks, or for a tool call its name and input. */
export function eventText(event: SessionEvent): string {
  if (event.type === 'agent.tool_use') return `${event.name} ${JSON.stringify(event.input)}`;
  return event.content.map((b) => b.text).join('\n');
}

/**
 * Resolve every cited piece of evidence to the exact text it points at, so the grader can check
 * quotes without ever reading a session itself. Missing sessions/events resolve to nothing: the
 * grader then reports the evidence as not found.
 */
export async function resolveEvidence(paths: RootPaths, evidence: readonly Evidence[]): Promise<Record<string, string>> {
  const bySession = new Map<string, Evidence[]>();
  for (const e of evidence) {
    const list = bySession.get(e.session_id) ?? [];
    list.push(e);
    bySession.set(e.session_id, list);
  }
  const out: Record<string, string> = {};
  for (const [sessionId, cited] of [...bySession].sort(([a], [b]) => a.localeCompare(b))) {
    const wantedEvents = new Set(cited.map((e) => e.event_id).filter((id): id is string => id !== null));
    const ranges = cited.filter((e) => e.lines !== null).map((e) => e.lines!);
    const eventTexts = new Map<string, string>();
    const lineTexts = new Map<number, string>();
    try {
      for await (const event of readEvents(paths, sessionId)) {
        if (wantedEvents.has(event.id)) eventTexts.set(event.id, eventText(event));
        if (event.type === 'log.lines' && event.source_lines && ranges.length > 0) {
          const [start] = event.source_lines;
          const lines = event.content.map((b) => b.text).join('\n').split('\n');
          lines.forEach((line, i) => {
            const n = start + i;
            if (ranges.some(([a, b]) => n >= a && n <= b)) lineTexts.set(n, visibleText(line));
          });
        }
      }
    } catch {
      continue; // unknown or unreadable session: its evidence stays unresolved
    }
    for (const e of cited) {
      // Build-log evidence is checked against exactly its lines; transcript evidence against its event.
      if (e.lines !== null) {
        const [a, b] = e.lines;
        const parts: string[] = [];
        for (let n = a; n <= b; n++) {
          const t = lineTexts.get(n);
          if (t !== undefined) parts.push(t);
        }
        if (parts.length > 0) {
          out[evidenceKey(e)] = parts.join('\n');
          continue;
        }
      }
      if (e.event_id !== null) {
        const text = eventTexts.get(e.event_id);
        if (text !== undefined) out[evidenceKey(e)] = text;
      }
    }
  }
  return out;
}
