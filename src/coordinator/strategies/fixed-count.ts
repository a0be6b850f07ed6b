import { batchId, type BatchingStrategy } from './types.ts';

export const fixedCount: BatchingStrategy = {
  name: 'fixed-count',
  description:
    'Cuts the sessions, in input order, into batches of at most `batch-size` sessions each. Simple and ' +
    'predictable; the default. Batches may differ a lot in bytes when sessions do.',
  defaults: { 'batch-size': 8 },
  plan(sessions, options) {
    const size = Math.max(1, Math.floor(options['batch-size'] ?? 8));
    const batches = [];
    for (let i = 0; i < sessions.length; i += size) {
      batches.push({ id: batchId(batches.length), session_ids: sessions.slice(i, i + size).map((s) => s.id) });
    }
    return batches;
  },
};
