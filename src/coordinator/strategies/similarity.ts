import { sketch, similarity as jaccard } from './minhash.ts';
import { signatureSet } from './session-features.ts';
import { requireContext, toBatches, type BatchingStrategy, type SessionSummary } from './types.ts';
import { requireRange } from './options.ts';

/**
 * Greedy clustering, deterministic: the first unassigned session (input order) seeds a batch and
 * takes the most similar unassigned sessions at or above `min` (ties: input order), up to `size`.
 */
export function clusterBySimilarity(sessions: readonly SessionSummary[], sketches: ReadonlyMap<string, Uint32Array>, size: number, min: number): SessionSummary[][] {
  const left = [...sessions].sort((a, b) => a.sequence - b.sequence);
  const groups: SessionSummary[][] = [];
  while (left.length > 0) {
    const seed = left.shift()!;
    const s = sketches.get(seed.id)!;
    const near = left
      .map((x) => ({ x, sim: jaccard(s, sketches.get(x.id)!) }))
      .filter((c) => c.sim >= min)
      .sort((a, b) => b.sim - a.sim || a.x.sequence - b.x.sequence)
      .slice(0, size - 1)
      .map((c) => c.x);
    for (const x of near) left.splice(left.indexOf(x), 1);
    groups.push([seed, ...near]);
  }
  return groups;
}

export const similarityStrategy: BatchingStrategy = {
  name: 'similarity',
  description:
    'Clusters sessions that look alike into the same batch: each session becomes a set of masked lines ' +
    '(variables replaced by placeholders, first 20,000 lines), tool names and failed-tool signatures, sketched ' +
    'with 64-hash MinHash; greedily, the first unassigned session takes its most similar unassigned peers ' +
    '(estimated Jaccard ≥ `min-similarity`, default 0.2) up to `batch-size` (default 8). Runs of one job and ' +
    'transcripts hitting the same errors end up together, so a worker sees recurrences inside its batch.',
  defaults: { 'batch-size': 8, 'min-similarity': 0.2 },
  validate(options) {
    requireRange('similarity', options, 'batch-size', 1, Number.MAX_SAFE_INTEGER, true);
    requireRange('similarity', options, 'min-similarity', 0, 1);
  },
  async plan(sessions, options, context) {
    const { paths } = requireContext('similarity', context);
    const sketches = new Map<string, Uint32Array>();
    for (const s of sessions) sketches.set(s.id, sketch(await signatureSet(paths, s.id)));
    return toBatches(clusterBySimilarity(sessions, sketches, Math.floor(options['batch-size'] ?? 8), options['min-similarity'] ?? 0.2));
  },
};
