import type { Batch } from '../../dreams/schema.ts';

/** What a strategy knows about each session: enough to plan, nothing to read. */
export interface SessionSummary {
  id: string;
  /** Position among the dream's inputs (0-based); plans keep this order inside batches. */
  sequence: number;
  bytes: number;
  kind: string;
}

/**
 * A batching strategy turns the dream's sessions into batches, one piscina task each.
 * Plans must be deterministic: the same sessions and options give the same batches.
 */
export interface BatchingStrategy {
  readonly name: string;
  /** One paragraph for `dream run --help` and docs. */
  readonly description: string;
  /** Option names this strategy reads (e.g. batch-size), with defaults. */
  readonly defaults: Readonly<Record<string, number>>;
  plan(sessions: readonly SessionSummary[], options: Readonly<Record<string, number>>): Batch[];
}

/** Batch ids sort in plan order and are safe file names: b0001, b0002, … */
export function batchId(index: number): string {
  return `b${String(index + 1).padStart(4, '0')}`;
}
