import type { Evidence, FindingKind } from '../engine/findings.ts';
import { cmpStr, type CanonicalFinding } from './canonical.ts';
import type { MemoryEntry, Seen } from './types.ts';

/**
 * What the merger groups: each canonical finding, and each memory parsed from the input store
 * (a previous dream's output). Both carry an order key so "the most recent observation" is one
 * total order: time (undated first), then epoch (the input store predates this dream's
 * findings), then the session's sequence, then a content tiebreak.
 */
export interface OrderKey {
  time: string | null;
  epoch: 0 | 1;
  seq: number;
  tie: string;
}

export function cmpOrder(a: OrderKey, b: OrderKey): number {
  if (a.time !== b.time) {
    if (a.time === null) return -1;
    if (b.time === null) return 1;
    return cmpStr(a.time, b.time);
  }
  return a.epoch - b.epoch || a.seq - b.seq || cmpStr(a.tie, b.tie);
}

export type Node =
  | { type: 'finding'; kind: FindingKind; keys: string[]; title: string; value: string | null; order: OrderKey; finding: CanonicalFinding }
  | { type: 'input'; kind: FindingKind; keys: string[]; title: string; value: string | null; order: OrderKey; entry: MemoryEntry; content: string };

export function findingNode(f: CanonicalFinding): Node {
  const times = f.evidence.map((e) => e.observed_at).filter((t): t is string => t !== null).sort(cmpStr);
  return {
    type: 'finding',
    kind: f.kind,
    keys: [f.key],
    title: f.title,
    value: f.value,
    order: { time: f.observed_at ?? times.at(-1) ?? null, epoch: 1, seq: f.sequence, tie: f.tie },
    finding: f,
  };
}

export function inputNode(entry: MemoryEntry, content: string): Node {
  return {
    type: 'input',
    kind: entry.kind,
    keys: entry.keys,
    title: entry.title,
    value: entry.value,
    order: { time: entry.last_seen.at, epoch: 0, seq: 0, tie: entry.path },
    entry,
    content,
  };
}

/** Every piece of evidence a node cites (for an input memory: current and superseded values). */
export function nodeEvidence(n: Node): Evidence[] {
  return n.type === 'finding' ? n.finding.evidence : [...n.entry.evidence, ...n.entry.history.flatMap((h) => h.evidence)];
}

export function latestNode(nodes: readonly Node[]): Node {
  return nodes.reduce((best, n) => (cmpOrder(n.order, best.order) > 0 ? n : best));
}

/** A point in time something was seen, ordered like observations. */
export interface SeenPoint {
  order: OrderKey;
  seen: Seen;
}

export function seenPoints(n: Node): SeenPoint[] {
  if (n.type === 'finding') {
    return n.finding.evidence.map((e) => ({
      order: { time: e.observed_at, epoch: 1, seq: n.finding.sequence, tie: e.session_id },
      seen: { at: e.observed_at, session_id: e.session_id },
    }));
  }
  const at = (s: Seen): SeenPoint => ({ order: { time: s.at, epoch: 0, seq: 0, tie: s.session_id }, seen: s });
  return [at(n.entry.first_seen), at(n.entry.last_seen), ...n.entry.history.map((h) => at(h.last_seen))];
}
