import type { Evidence, FindingKind } from '../engine/findings.ts';
import { FindingKind as FindingKindSchema } from '../engine/findings.ts';
import { unescapeBody } from './render.ts';
import type { HistoryItem, MemoryEntry, Seen } from './types.ts';

/**
 * Read back a memory written by renderMemory. Anything that does not follow the format exactly
 * (a hand-written note, a memory someone edited into another shape) returns null: the merger then
 * treats it as foreign and keeps it byte-for-byte.
 */
export function parseMemory(path: string, content: string): MemoryEntry | null {
  try {
    return parseStrict(path, content);
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
}

/** Why a memory does not parse, for the grader's format check; null when it parses. */
export function formatProblem(content: string): string | null {
  try {
    parseStrict('/', content);
    return null;
  } catch (e) {
    if (e instanceof FormatError) return e.message;
    throw e;
  }
}

class FormatError extends Error {}

function fail(line: number, why: string): never {
  throw new FormatError(`line ${line}: ${why}`);
}

const SESSION = String.raw`[A-Za-z0-9_.-]+`;
const SEEN_RE = new RegExp(`^(?:(\\S+) in (${SESSION})|(${SESSION}))$`);
const EVIDENCE_RE = new RegExp(`^(${SESSION})(?: L(\\d+)(?:-(\\d+))?)?(?: \\(([^()]*)\\))?: (".*")$`);
const HISTORY_RE = /^- superseded value \(last seen ([^()]*)\): (".*")$/;

function parseSeen(text: string, line: number): Seen {
  const m = SEEN_RE.exec(text);
  if (!m) fail(line, `expected "<date> in <session>" or "<session>", got ${JSON.stringify(text)}`);
  return m[3] !== undefined ? { at: null, session_id: m[3] } : { at: m[1]!, session_id: m[2]! };
}

function parseJsonString(text: string, line: number): string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    fail(line, `not a JSON string: ${text.slice(0, 60)}`);
  }
  if (typeof v !== 'string') fail(line, 'expected a JSON string');
  return v;
}

export function parseEvidenceLine(text: string, line: number): Evidence {
  const m = EVIDENCE_RE.exec(text);
  if (!m) fail(line, `not an evidence line: ${text.slice(0, 80)}`);
  const [, session, from, to, meta, quote] = m;
  let event_id: string | null = null;
  let observed_at: string | null = null;
  for (const part of meta === undefined ? [] : meta.split('; ')) {
    if (part.startsWith('event ')) event_id = part.slice(6);
    else if (observed_at === null && part !== '') observed_at = part;
    else fail(line, `unexpected evidence detail ${JSON.stringify(part)}`);
  }
  const start = from === undefined ? null : Number(from);
  const end = to === undefined ? start : Number(to);
  return {
    session_id: session!,
    event_id,
    lines: start === null || end === null || start < 1 || end < start ? null : [start, end],
    quote: parseJsonString(quote!, line),
    observed_at,
  };
}

function parseStrict(path: string, content: string): MemoryEntry {
  const lines = content.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const title = /^# (.+)$/.exec(lines[0] ?? '');
  if (!title) fail(1, 'expected a "# Title" line first');
  const provAt = lines.indexOf('## Provenance');
  if (provAt < 0) fail(lines.length, 'no "## Provenance" section');
  const body = unescapeBody(lines.slice(1, provAt).join('\n').trim());

  let i = provAt + 1;
  const next = (): string | undefined => lines[i];
  const skipBlank = (): void => {
    while (next() === '') i++;
  };
  skipBlank();
  const fields = new Map<string, string[]>();
  while (next()?.startsWith('- ')) {
    const m = /^- ([a-z ]+): (.*)$/.exec(next()!);
    if (!m) fail(i + 1, `not a provenance field: ${next()!.slice(0, 80)}`);
    fields.set(m[1]!, [...(fields.get(m[1]!) ?? []), m[2]!]);
    i++;
  }
  const one = (name: string, required = true): string | undefined => {
    const v = fields.get(name);
    if (v === undefined) return required ? fail(provAt + 1, `provenance has no "${name}"`) : undefined;
    if (v.length > 1) fail(provAt + 1, `provenance has "${name}" twice`);
    return v[0];
  };
  const kind = FindingKindSchema.safeParse(one('kind'));
  if (!kind.success) fail(provAt + 1, `unknown kind ${JSON.stringify(one('kind'))}`);
  const keys = (fields.get('key') ?? []).map((k) => parseJsonString(k, provAt + 1));
  if (keys.length === 0) fail(provAt + 1, 'provenance has no "key"');
  const valueText = one('value', false);
  const occ = /^seen in (\d+) sessions?$/.exec(one('occurrences')!);
  if (!occ) fail(provAt + 1, 'occurrences must read "seen in N sessions"');
  const confidence = Number(one('confidence'));
  if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1) fail(provAt + 1, 'confidence must be a number in 0..1');
  const sessionsText = one('sessions')!;
  const sessions = sessionsText === '' ? [] : sessionsText.split(', ');
  const attrText = one('attributes', false);
  let attributes: Record<string, string | number | boolean> = {};
  if (attrText !== undefined) {
    try {
      attributes = JSON.parse(attrText) as Record<string, string | number | boolean>;
    } catch {
      fail(provAt + 1, 'attributes must be a JSON object');
    }
  }
  for (const name of fields.keys()) {
    if (!['kind', 'key', 'value', 'occurrences', 'first seen', 'last seen', 'confidence', 'sessions', 'attributes'].includes(name)) {
      fail(provAt + 1, `unknown provenance field "${name}"`);
    }
  }

  skipBlank();
  if (!/^### Evidence( \(.*\))?$/.test(next() ?? '')) fail(i + 1, 'expected "### Evidence"');
  i++;
  skipBlank();
  const evidence: Evidence[] = [];
  while (next()?.startsWith('- ')) {
    evidence.push(parseEvidenceLine(next()!.slice(2), i + 1));
    i++;
  }
  skipBlank();
  const history: HistoryItem[] = [];
  if (next() === '## History') {
    i++;
    skipBlank();
    while (next()?.startsWith('- ')) {
      const m = HISTORY_RE.exec(next()!);
      if (!m) fail(i + 1, 'not a history line');
      const item: HistoryItem = { value: parseJsonString(m[2]!, i + 1), last_seen: parseSeen(m[1]!, i + 1), evidence: [] };
      i++;
      while (next()?.startsWith('  - ')) {
        item.evidence.push(parseEvidenceLine(next()!.slice(4), i + 1));
        i++;
      }
      history.push(item);
    }
    skipBlank();
  }
  if (i < lines.length) fail(i + 1, `unexpected text after the provenance: ${lines[i]!.slice(0, 80)}`);

  return {
    path,
    kind: kind.data as FindingKind,
    keys,
    title: title[1]!,
    body,
    value: valueText === undefined ? null : parseJsonString(valueText, provAt + 1),
    occurrences: Number(occ[1]),
    first_seen: parseSeen(one('first seen')!, provAt + 1),
    last_seen: parseSeen(one('last seen')!, provAt + 1),
    confidence,
    sessions,
    attributes,
    evidence,
    history,
  };
}
