import type { RootPaths } from '../../core/root.ts';
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
 * What a strategy may read while planning: the shared filesystem, so strategies that group by
 * content, source or time can read the stored sessions (read-only). Built-ins that need only
 * the summaries ignore it.
 */
export interface PlanContext {
  paths: RootPaths;
}

/**
 * A batching strategy turns the dream's sessions into batches, one piscina task each.
 * Plans must be deterministic: the same sessions and options give the same batches.
 */
export interface BatchingStrategy {
  readonly name: string;
  /** One paragraph for `dream strategies` and docs. */
  readonly description: string;
  /** Option names this strategy reads (e.g. batch-size), with defaults. */
  readonly defaults: Readonly<Record<string, number>>;
  /** Refuse option values out of range (InvalidInputError naming strategy and option); optional. */
  validate?(options: Readonly<Record<string, number>>): void;
  plan(sessions: readonly SessionSummary[], options: Readonly<Record<string, number>>, context?: PlanContext): Batch[] | Promise<Batch[]>;
}

/** Batch ids sort in plan order and are safe file names: b0001, b0002, … */
export function batchId(index: number): string {
  return `b${String(index + 1).padStart(4, '0')}`;
}

/** Groups of session ids (each kept in input order) → numbered batches, empty groups dropped. */
export function toBatches(groups: readonly (readonly SessionSummary[])[]): Batch[] {
  return groups
    .filter((g) => g.length > 0)
    .map((g, i) => ({ id: batchId(i), session_ids: [...g].sort((a, b) => a.sequence - b.sequence).map((s) => s.id) }));
}

/** Cut a group into consecutive pieces of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A strategy that reads the stored sessions needs the plan context; say so instead of crashing. */
export function requireContext(name: string, context: PlanContext | undefined): PlanContext {
  if (!context) throw new Error(`strategy ${name} reads the stored sessions: call plan() with a PlanContext`);
  return context;
}
