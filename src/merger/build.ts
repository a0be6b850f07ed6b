import type { Evidence, FindingKind } from '../engine/findings.ts';
import { cmpEvidence, cmpStr, dedupeEvidence } from './canonical.ts';
import { cmpOrder, latestNode, nodeEvidence, seenPoints, type Node, type OrderKey, type SeenPoint } from './nodes.ts';
import { valueMatters } from './similar.ts';
import type { HistoryItem, MemoryEntry, Seen } from './types.ts';

/** How many sessions a memory quotes: the first few and the last few, never all. */
export interface QuoteBudget {
  first: number;
  last: number;
  /** Quotes for each superseded value. */
  history: number;
}

export const DEFAULT_BUDGET: QuoteBudget = { first: 3, last: 2, history: 3 };

/**
 * Quote the first `first` and last `last` sessions (chronologically), one excerpt each; when
 * fewer sessions exist, spend the spare slots on more excerpts from the same sessions.
 */
export function selectQuotes(list: readonly Evidence[], first: number, last: number): Evidence[] {
  const sorted = dedupeEvidence(list);
  const slots = first + last;
  const bySession = new Map<string, Evidence[]>();
  for (const e of sorted) {
    const l = bySession.get(e.session_id);
    if (l) l.push(e);
    else bySession.set(e.session_id, [e]);
  }
  const order = [...bySession.keys()];
  const chosen = order.length <= slots ? order : [...order.slice(0, first), ...order.slice(order.length - last)];
  const picked = chosen.map((s) => bySession.get(s)![0]!);
  for (const s of chosen) {
    for (const e of bySession.get(s)!.slice(1)) if (picked.length < slots) picked.push(e);
  }
  return picked.sort(cmpEvidence);
}

interface ValueObs {
  value: string | null;
  order: OrderKey;
  seen: Seen;
  evidence: Evidence[];
}

function valueObservations(n: Node): ValueObs[] {
  if (n.type === 'finding') {
    const points = seenPoints(n).sort((a, b) => cmpOrder(a.order, b.order));
    return [{ value: n.value, order: n.order, seen: points.at(-1)!.seen, evidence: n.finding.evidence }];
  }
  const e = n.entry;
  return [
    { value: e.value, order: n.order, seen: e.last_seen, evidence: e.evidence },
    ...e.history.map((h) => ({
      value: h.value,
      order: { time: h.last_seen.at, epoch: 0 as const, seq: 0, tie: `${e.path}\0${h.value}` },
      seen: h.last_seen,
      evidence: h.evidence,
    })),
  ];
}

function sessionsOf(n: Node): string[] {
  return n.type === 'finding' ? n.finding.evidence.map((e) => e.session_id) : n.entry.sessions;
}

/**
 * Build one memory from the nodes of a group: the latest observation gives the title, body and
 * (for facts/preferences) the current value; every other value goes to History with its own
 * evidence. Returns the entry plus the keys involved in a contradiction, if any.
 */
export function buildEntry(path: string, kind: FindingKind, nodes: readonly Node[], budget: QuoteBudget): MemoryEntry {
  const latest = latestNode(nodes);
  const ascending = [...nodes].sort((a, b) => cmpOrder(a.order, b.order));
  const attributes: MemoryEntry['attributes'] = {};
  for (const n of ascending) Object.assign(attributes, n.type === 'finding' ? n.finding.attributes : n.entry.attributes);
  const confidence = Math.max(...nodes.map((n) => (n.type === 'finding' ? n.finding.confidence : n.entry.confidence)));

  const points: SeenPoint[] = nodes.flatMap(seenPoints).sort((a, b) => cmpOrder(a.order, b.order));
  const sessions = [...new Set(nodes.flatMap(sessionsOf))].sort(cmpStr);

  let value = latest.value;
  let current: Evidence[] = nodes.flatMap(nodeEvidence);
  const history: HistoryItem[] = [];
  if (valueMatters(kind)) {
    const obs = nodes.flatMap(valueObservations);
    const byValue = new Map<string, ValueObs[]>();
    const unvalued: Evidence[] = [];
    for (const o of obs) {
      if (o.value === null) unvalued.push(...o.evidence);
      else byValue.set(o.value, [...(byValue.get(o.value) ?? []), o]);
    }
    const ranked = [...byValue.entries()]
      .map(([v, list]) => ({ value: v, last: list.reduce((a, b) => (cmpOrder(b.order, a.order) > 0 ? b : a)), evidence: list.flatMap((o) => o.evidence) }))
      .sort((a, b) => cmpOrder(a.last.order, b.last.order));
    const top = ranked.at(-1);
    value = top?.value ?? null;
    current = [...(top?.evidence ?? []), ...unvalued];
    for (const r of ranked.slice(0, -1)) {
      history.push({ value: r.value, last_seen: r.last.seen, evidence: selectQuotes(r.evidence, budget.history, 0) });
    }
  }

  const journal = nodes.every((n) => (n.type === 'finding' ? n.finding.attributes : n.entry.attributes).journal === true);
  const quotes = journal ? selectQuotes(current, 1, 0) : selectQuotes(current, budget.first, budget.last);
  return {
    path,
    kind,
    keys: [...new Set(nodes.flatMap((n) => n.keys))].sort(cmpStr),
    title: latest.title,
    body: journal ? journalBody(ascending) : latest.type === 'finding' ? latest.finding.body : latest.entry.body,
    value,
    occurrences: sessions.length,
    first_seen: points[0]!.seen,
    last_seen: points.at(-1)!.seen,
    confidence,
    sessions,
    attributes,
    evidence: quotes,
    history,
  };
}

/**
 * A journal (conversation memories of one speaker and month) accumulates: each session adds its
 * own dated section instead of replacing the others. Sections are deduplicated and kept in the
 * order first seen; the body lines cite their own lines, so one or two quotes are enough.
 */
function journalBody(ascending: readonly Node[]): string {
  const sections: string[] = [];
  for (const n of ascending) {
    const body = n.type === 'finding' ? n.finding.body : n.entry.body;
    for (const s of body.split(/\n{2,}/)) if (s.trim() !== '' && !sections.includes(s.trim())) sections.push(s.trim());
  }
  return sections.join('\n\n');
}
