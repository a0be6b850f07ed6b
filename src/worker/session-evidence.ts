/**
 * The text that evidence cited from one session points at, read from the session's stored
 * (redacted) events. Runs in a pool thread, one session per task, so resolving the evidence of
 * a hundred logs is spread over the workers instead of holding up the coordinator.
 */
import { join } from 'node:path';
import type { RootPaths } from '../core/root.ts';
import { visibleText } from '../core/lines.ts';
import type { Evidence } from '../engine/findings.ts';
import { evidenceKey } from '../outcomes/evidence-key.ts';
import { SessionEvent } from '../sessions/schema.ts';
import { fileChunks } from '../sessions/source.ts';
import { getSession } from '../sessions/store.ts';
import { eventText } from '../sessions/event-text.ts';

/**
 * The head of an events.jsonl line as sessions/writer.ts writes it: id, time, line range, type.
 * A log cites a few of its thousands of events; reading the head tells which ones to parse.
 */
const HEAD = /^\{"id":"(sevt_[A-Za-z0-9]+)","processed_at":(?:null|"[^"\\]*"),"source_lines":(?:null|\[(\d+),(\d+)\]),"type":"([a-z_.]+)"/;
const HEAD_BYTES = 256;

/** events.jsonl one line at a time, as bytes: only the lines wanted are decoded and parsed. */
async function* rawLines(file: string): AsyncGenerator<Buffer> {
  let carry: Buffer[] = [];
  for await (const chunk of fileChunks(file)) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      start = nl + 1;
      if (carry.length > 0) {
        yield Buffer.concat([...carry, part]);
        carry = [];
      } else yield part;
    }
    if (start < chunk.length) carry.push(Buffer.from(chunk.subarray(start))); // a copy: chunks are reused
  }
  if (carry.length > 0) yield Buffer.concat(carry);
}

/**
 * Evidence key → cited text for evidence from `sessionId`. Build-log evidence resolves to exactly
 * its lines, transcript evidence to its event. A missing or unreadable session, or a cited event
 * that does not parse, resolves nothing: the grader then reports its evidence as not found.
 */
export async function resolveSessionEvidence(
  paths: RootPaths,
  sessionId: string,
  cited: readonly Evidence[],
): Promise<Record<string, string>> {
  const wantedEvents = new Set(cited.map((e) => e.event_id).filter((id): id is string => id !== null));
  const ranges = cited.filter((e) => e.lines !== null).map((e) => e.lines!);
  const overlaps = (a0: number, b0: number): boolean => ranges.some(([a, b]) => a <= b0 && b >= a0);
  const eventTexts = new Map<string, string>();
  const lineTexts = new Map<number, string>();
  try {
    const session = await getSession(paths, sessionId);
    for await (const raw of rawLines(join(paths.session(session.id), 'events.jsonl'))) {
      if (raw.length === 0) continue;
      const head = HEAD.exec(raw.toString('latin1', 0, Math.min(raw.length, HEAD_BYTES)));
      // A head that does not match the writer's layout is parsed in full, never skipped.
      if (head && !wantedEvents.has(head[1]!) && !(head[4] === 'log.lines' && head[2] !== undefined && overlaps(Number(head[2]), Number(head[3])))) continue;
      const event = SessionEvent.parse(JSON.parse(raw.toString('utf8')));
      if (wantedEvents.has(event.id)) eventTexts.set(event.id, eventText(event));
      const span = event.type === 'log.lines' ? event.source_lines : null;
      if (span && overlaps(span[0], span[1])) {
        eventText(event)
          .split('\n')
          .forEach((line, i) => {
            const n = span[0] + i;
            if (ranges.some(([a, b]) => n >= a && n <= b)) lineTexts.set(n, visibleText(line));
          });
      }
    }
  } catch {
    return {}; // unknown or unreadable session: its evidence stays unresolved
  }
  const out: Record<string, string> = {};
  for (const e of cited) {
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
  return out;
}
