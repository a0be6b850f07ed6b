import { batchId, type BatchingStrategy } from './types.ts';

export const byteBudget: BatchingStrategy = {
  name: 'byte-budget',
  description:
    'Fills batches, in input order, until adding the next session would pass `batch-bytes` (default 4 MiB); ' +
    'a session larger than the budget gets a batch of its own. Evens out work per worker when session ' +
    'sizes vary, and bounds what one worker (or one model context) has to hold.',
  defaults: { 'batch-bytes': 4 * 1024 * 1024 },
  plan(sessions, options) {
    const budget = Math.max(1, Math.floor(options['batch-bytes'] ?? 4 * 1024 * 1024));
    const batches: { id: string; session_ids: string[] }[] = [];
    let current: string[] = [];
    let used = 0;
    for (const s of sessions) {
      if (current.length > 0 && used + s.bytes > budget) {
        batches.push({ id: batchId(batches.length), session_ids: current });
        current = [];
        used = 0;
      }
      current.push(s.id);
      used += s.bytes;
    }
    if (current.length > 0) batches.push({ id: batchId(batches.length), session_ids: current });
    return batches;
  },
};
