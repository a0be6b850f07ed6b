/**
 * Merge strategies: how batch findings meet. `flat` merges every batch's findings in one step;
 * `hierarchical` builds a tree with a set fan-in: groups of `fan-in` batches are merged, then
 * groups of those results, up to one root, which the merger consolidates with the input store.
 *
 *   leaves (one per batch) ─► level 1: ⌈n / fan-in⌉ merges ─► level 2 … ─► root ─► merger(input store)
 *
 * An internal merge of the local engine is the union of its children's findings in canonical
 * order; it also builds that node's intermediate store (merger/merge.ts from an empty store) so
 * the tree's cost and each node's size are real. The local merge is order-independent, so the
 * root's store equals the flat one; a model merger would spend one call per internal node, and
 * the tree's size (`merge_calls`) is what the dream's event log records.
 */
import { InvalidInputError } from '../../core/errors.ts';
import type { Finding } from '../../engine/findings.ts';
import type { Plan } from '../../dreams/schema.ts';
import { cmpStr, stableJson } from '../../merger/canonical.ts';
import { merge } from '../../merger/merge.ts';
import { requireRange } from './options.ts';

export interface MergingStrategy {
  readonly name: string;
  readonly description: string;
  readonly defaults: Readonly<Record<string, number>>;
  validate?(options: Readonly<Record<string, number>>): void;
}

export const flat: MergingStrategy = {
  name: 'flat',
  description:
    'Merges the findings of every batch in one step with the input store (map-reduce with a single reduce). ' +
    'One merge call whatever the number of batches; the merger sees everything at once.',
  defaults: {},
};

export const hierarchical: MergingStrategy = {
  name: 'hierarchical',
  description:
    'Merges findings up a tree with `fan-in` children per node (default 4): groups of batches first, then groups ' +
    'of those results, up to one root consolidated with the input store. ⌈n/f⌉ + ⌈n/f²⌉ + … merge calls for n ' +
    'batches; each merge sees a bounded amount, the way a model merger must when everything does not fit.',
  defaults: { 'fan-in': 4 },
  validate(options) {
    requireRange('hierarchical', options, 'fan-in', 2, 1000, true);
  },
};

export const MERGING: readonly MergingStrategy[] = [flat, hierarchical];

export function getMerging(name: string): MergingStrategy {
  const found = MERGING.find((m) => m.name === name);
  if (!found) throw new InvalidInputError('unknown_strategy', `unknown merge strategy ${JSON.stringify(name)}; known: ${MERGING.map((m) => m.name).join(', ')}`);
  return found;
}

export type MergeTreeStats = {
  merging: string;
  fan_in: number | null;
  leaves: number;
  /** Merge steps: internal nodes plus the root (1 for flat). */
  merge_calls: number;
  depth: number;
  /** Memories in each internal node's intermediate store, level by level (root excluded). */
  node_memories: number[][];
};

/** Levels of a tree over `n` leaves with `fanIn` children per node: node counts, leaves excluded. */
export function treeShape(n: number, fanIn: number | null): number[] {
  if (fanIn === null || n <= 1) return [1];
  const levels: number[] = [];
  let width = n;
  do {
    width = Math.ceil(width / fanIn);
    levels.push(width);
  } while (width > 1);
  return levels;
}

const canonicalOrder = (list: Finding[]): Finding[] =>
  list.map((f) => ({ f, k: `${f.kind}\u0000${f.key}\u0000${stableJson(f)}` })).sort((a, b) => cmpStr(a.k, b.k)).map((x) => x.f);

/**
 * Findings per batch, in plan order: a finding belongs to the batch holding the first (plan
 * order) session it cites; cross-run findings citing several batches go to the earliest.
 */
export function leavesByBatch(findings: readonly Finding[], plan: Plan): Finding[][] {
  const batchOf = new Map<string, number>();
  plan.batches.forEach((b, i) => b.session_ids.forEach((id) => batchOf.set(id, i)));
  const leaves: Finding[][] = plan.batches.map(() => []);
  for (const f of findings) {
    const idx = Math.min(...f.evidence.map((e) => batchOf.get(e.session_id) ?? 0));
    leaves[Number.isFinite(idx) ? idx : 0]!.push(f);
  }
  return leaves;
}

/** Run the merge tree over the leaves; returns the root's findings and what the tree cost. */
export function mergeTree(leaves: readonly Finding[][], mergingName: string, options: Readonly<Record<string, number>>): { findings: Finding[]; stats: MergeTreeStats } {
  const fanIn = mergingName === 'hierarchical' ? Math.floor(options['fan-in'] ?? 4) : null;
  let level: Finding[][] = leaves.map((l) => [...l]);
  const nodeMemories: number[][] = [];
  let calls = 0;
  if (fanIn !== null) {
    while (level.length > fanIn) {
      const next: Finding[][] = [];
      for (let i = 0; i < level.length; i += fanIn) {
        const union = canonicalOrder(level.slice(i, i + fanIn).flat());
        next.push(union);
        calls++;
      }
      nodeMemories.push(next.map((u) => merge([], u).entries.length));
      level = next;
    }
  }
  calls++; // the root
  return {
    findings: canonicalOrder(level.flat()),
    stats: { merging: mergingName, fan_in: fanIn, leaves: leaves.length, merge_calls: calls, depth: nodeMemories.length + 1, node_memories: nodeMemories },
  };
}
