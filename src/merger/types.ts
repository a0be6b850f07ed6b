import type { Evidence, FindingKind } from '../engine/findings.ts';
import type { Gap } from '../outcomes/schema.ts';

export type { StoreSnapshot } from '../memory/snapshot.ts';

/** When something was seen: a timestamp when one is known, and always the session. */
export interface Seen {
  at: string | null;
  session_id: string;
}

/** A fact/preference value that a newer observation replaced, kept with its own evidence. */
export interface HistoryItem {
  value: string;
  /** The last time this value was observed. */
  last_seen: Seen;
  evidence: Evidence[];
}

/**
 * One memory as the merger builds it and as parse() reads it back from its Markdown. `evidence`
 * holds exactly the quoted excerpts (bounded); `sessions` always lists every session.
 */
export interface MemoryEntry {
  path: string;
  kind: FindingKind;
  /** Every key this memory stands for, sorted; more than one after a near-duplicate merge. */
  keys: string[];
  title: string;
  body: string;
  /** The current value (facts and preferences; may be set for other kinds). */
  value: string | null;
  /** "seen in N sessions" as written; the merger always sets it to sessions.length. */
  occurrences: number;
  first_seen: Seen;
  last_seen: Seen;
  confidence: number;
  /** Sorted session ids. */
  sessions: string[];
  attributes: Record<string, string | number | boolean>;
  evidence: Evidence[];
  history: HistoryItem[];
}

export interface MergeOptions {
  /**
   * Every gap the grader has sent so far (accumulated across iterations): merge always starts
   * from the same inputs and applies all of them, so earlier corrections are never lost.
   */
  revisions?: Gap[];
  /** Paths of input memories to keep byte-identical (the `preserve:` directive of a dream). */
  preserve?: readonly string[];
  /** New wording (title, body) for memories, by path: what a model merger revised. */
  rewrites?: Readonly<Record<string, { title: string; body: string }>>;
}

export interface RevisionOutcome {
  gap: Gap;
  applied: boolean;
  note: string;
}

export interface MergeReport {
  memories: number;
  index_path: string;
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: { path: string; reason: string }[];
  foreign: string[];
  /** Memories that stand for several keys (near-duplicates or grader-requested merges). */
  merged: { path: string; keys: string[] }[];
  contradictions: { path: string; keys: string[]; current: string; superseded: string[] }[];
  dropped_over_limit: string[];
  revisions: RevisionOutcome[];
  warnings: string[];
}
