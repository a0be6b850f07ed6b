import { InvalidInputError } from '../core/errors.ts';
import { Finding, type Evidence } from '../engine/findings.ts';
import { redact } from '../outcomes/secrets.ts';

/**
 * Findings arrive from many batches in any order. Everything the merger does starts from this
 * canonical form: ids checked, times normalized to ISO, free text single-lined / trimmed and
 * secrets redacted, evidence deduplicated and sorted, and the findings themselves sorted by
 * their full content — so the result can never depend on arrival order.
 */

/** Characters allowed in session/event ids that reach a memory's provenance lines. */
const ID_TOKEN = /^[A-Za-z0-9_.-]+$/;
const MAX_QUOTE_CHARS = 300;

export interface CanonicalFinding extends Finding {
  /** Stable tiebreak: the finding's canonical JSON. */
  tie: string;
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A timestamp as ISO-8601 UTC, or null when absent or unparseable. */
export function normalizeTime(t: string | null): string | null {
  if (t === null) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Truncate by code points: a prefix of a quote still occurs literally in the cited text. */
export function capQuote(quote: string, max = MAX_QUOTE_CHARS): string {
  const cps = Array.from(quote);
  return cps.length <= max ? quote : cps.slice(0, max).join('');
}

export function cmpEvidence(a: Evidence, b: Evidence): number {
  return (
    cmpTime(a.observed_at, b.observed_at) ||
    cmpStr(a.session_id, b.session_id) ||
    cmpStr(a.event_id ?? '', b.event_id ?? '') ||
    (a.lines?.[0] ?? 0) - (b.lines?.[0] ?? 0) ||
    (a.lines?.[1] ?? 0) - (b.lines?.[1] ?? 0) ||
    cmpStr(a.quote, b.quote)
  );
}

/** Undated sorts before dated: an observation with no time is never taken as the newest. */
export function cmpTime(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return cmpStr(a, b);
}

export function evidenceIdentity(e: Evidence): string {
  return JSON.stringify([e.session_id, e.event_id, e.lines, e.quote, e.observed_at]);
}

export function dedupeEvidence(list: readonly Evidence[]): Evidence[] {
  const seen = new Map<string, Evidence>();
  for (const e of list) seen.set(evidenceIdentity(e), e);
  return [...seen.values()].sort(cmpEvidence);
}

export function canonicalEvidence(e: Evidence, fallbackTime: string | null): Evidence | null {
  if (!ID_TOKEN.test(e.session_id)) return null;
  if (e.event_id !== null && !ID_TOKEN.test(e.event_id)) return null;
  return {
    session_id: e.session_id,
    event_id: e.event_id,
    lines: e.lines === null || e.lines[1] < e.lines[0] ? null : [e.lines[0], e.lines[1]],
    quote: capQuote(redact(e.quote)),
    observed_at: normalizeTime(e.observed_at) ?? fallbackTime,
  };
}

/** Stable JSON: object keys sorted, so equal content always serializes the same way. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => cmpStr(a, b)))
      : v,
  );
}

export function canonicalFindings(raw: readonly unknown[], warnings: string[]): CanonicalFinding[] {
  const out: CanonicalFinding[] = [];
  raw.forEach((item, i) => {
    const parsed = Finding.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError('invalid_finding', `findings[${i}]${issue ? `.${issue.path.join('.')}: ${issue.message}` : ': invalid'}`, {
        field: `findings[${i}]`,
      });
    }
    const f = parsed.data;
    const observed_at = normalizeTime(f.observed_at);
    const evidence: Evidence[] = [];
    for (const e of f.evidence) {
      const c = canonicalEvidence(e, observed_at);
      if (c) evidence.push(c);
      else warnings.push(`findings[${i}] (${f.kind} ${JSON.stringify(f.key)}): evidence with malformed session/event id dropped`);
    }
    if (evidence.length === 0) {
      warnings.push(`findings[${i}] (${f.kind} ${JSON.stringify(f.key)}): no usable evidence; finding dropped`);
      return;
    }
    const attributes: Finding['attributes'] = {};
    for (const k of Object.keys(f.attributes).sort(cmpStr)) {
      const v = f.attributes[k]!;
      attributes[redact(singleLine(k))] = typeof v === 'string' ? redact(v) : v;
    }
    const canon: Finding = {
      kind: f.kind,
      key: redact(f.key),
      title: singleLine(redact(f.title)) || f.kind,
      body: redact(f.body.replace(/\r\n?/g, '\n')).trim(),
      value: f.value === null ? null : redact(f.value),
      observed_at,
      sequence: f.sequence,
      evidence: dedupeEvidence(evidence),
      attributes,
      confidence: Math.round(f.confidence * 100) / 100,
    };
    out.push({ ...canon, tie: stableJson(canon) });
  });
  return out.sort((a, b) => cmpStr(a.tie, b.tie));
}
