import type { Evidence } from '../engine/findings.ts';
import type { HistoryItem, MemoryEntry, Seen } from './types.ts';
import { redactSecrets } from '../sessions/redact.ts';

/**
 * A memory as Markdown: the lesson first (title, then a few sentences), then a `## Provenance`
 * section in a fixed line format that parse.ts reads back, then `## History` when a value was
 * superseded. Free text that could be mistaken for structure is escaped: a body line starting
 * with `#` gets a leading backslash (Markdown shows it unchanged), and every key, value and quote
 * is a JSON string on its own line.
 *
 *   # <title>
 *
 *   <body>
 *
 *   ## Provenance
 *
 *   - kind: failure
 *   - key: "npm:eresolve"
 *   - value: "…"                          (when set)
 *   - occurrences: seen in 3 sessions
 *   - first seen: 2024-05-01T10:00:00.000Z in sesn_…
 *   - last seen: sesn_…                   (a session alone when no date is known)
 *   - confidence: 0.90
 *   - sessions: sesn_a, sesn_b, sesn_c
 *   - attributes: {"exit_code":1}         (when any)
 *
 *   ### Evidence (quoted from 2 of 3 sessions)
 *
 *   - sesn_a L12-14 (event sevt_…; 2024-05-01T10:00:00.000Z): "npm ERR! ERESOLVE"
 *
 *   ## History
 *
 *   - superseded value (last seen 2024-04-01T00:00:00.000Z in sesn_z): "3000"
 *     - sesn_z L3 (event sevt_…): "PORT=3000"
 */
export function renderMemory(entry: MemoryEntry): string {
  const out: string[] = [`# ${entry.title}`, ''];
  if (entry.body !== '') out.push(escapeBody(entry.body), '');
  out.push('## Provenance', '');
  out.push(`- kind: ${entry.kind}`);
  for (const key of entry.keys) out.push(`- key: ${JSON.stringify(key)}`);
  if (entry.value !== null) out.push(`- value: ${JSON.stringify(entry.value)}`);
  out.push(`- occurrences: seen in ${entry.occurrences} ${entry.occurrences === 1 ? 'session' : 'sessions'}`);
  out.push(`- first seen: ${renderSeen(entry.first_seen)}`);
  out.push(`- last seen: ${renderSeen(entry.last_seen)}`);
  out.push(`- confidence: ${entry.confidence.toFixed(2)}`);
  out.push(`- sessions: ${entry.sessions.join(', ')}`);
  const attrKeys = Object.keys(entry.attributes).sort();
  if (attrKeys.length > 0) {
    const sorted: Record<string, string | number | boolean> = {};
    for (const k of attrKeys) sorted[k] = entry.attributes[k]!;
    out.push(`- attributes: ${JSON.stringify(sorted)}`);
  }
  out.push('');
  const quoted = new Set(entry.evidence.map((e) => e.session_id)).size;
  out.push(`### Evidence (quoted from ${quoted} of ${entry.sessions.length} ${entry.sessions.length === 1 ? 'session' : 'sessions'})`, '');
  for (const e of entry.evidence) out.push(`- ${renderEvidence(e)}`);
  if (entry.history.length > 0) {
    out.push('', '## History', '');
    for (const h of entry.history) out.push(...renderHistory(h));
  }
  return out.join('\n') + '\n';
}

export function renderSeen(seen: Seen): string {
  return seen.at === null ? seen.session_id : `${seen.at} in ${seen.session_id}`;
}

export function renderEvidence(e: Evidence): string {
  let head = e.session_id;
  if (e.lines !== null) head += e.lines[0] === e.lines[1] ? ` L${e.lines[0]}` : ` L${e.lines[0]}-${e.lines[1]}`;
  const meta: string[] = [];
  if (e.event_id !== null) meta.push(`event ${e.event_id}`);
  if (e.observed_at !== null) meta.push(e.observed_at);
  if (meta.length > 0) head += ` (${meta.join('; ')})`;
  // Quotes come from redacted sessions, but an older session (imported before a rule existed) or a
  // model's output may still carry one: quoted evidence is redacted again here, every time.
  return `${head}: ${JSON.stringify(redactSecrets(e.quote).text)}`;
}

function renderHistory(h: HistoryItem): string[] {
  return [
    `- superseded value (last seen ${renderSeen(h.last_seen)}): ${JSON.stringify(h.value)}`,
    ...h.evidence.map((e) => `  - ${renderEvidence(e)}`),
  ];
}

/** Escape lines that Markdown (or parse.ts) would read as headings; unescapeBody reverses it. */
export function escapeBody(body: string): string {
  return body
    .split('\n')
    .map((l) => (/^\\*#/.test(l) ? `\\${l}` : l))
    .join('\n');
}

export function unescapeBody(body: string): string {
  return body
    .split('\n')
    .map((l) => (/^\\+#/.test(l) ? l.slice(1) : l))
    .join('\n');
}
