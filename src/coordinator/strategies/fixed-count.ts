import { requireRange } from './options.ts';
import { chunk, toBatches, type BatchingStrategy } from './types.ts';

export const fixedCount: BatchingStrategy = {
  name: 'fixed-count',
  description:
    'Cuts the sessions, in input order, into batches of at most `batch-size` sessions each. Simple and ' +
    'predictable; the default. Batches may differ a lot in bytes when sessions do.',
  defaults: { 'batch-size': 8 },
  validate(options) {
    requireRange('fixed-count', options, 'batch-size', 1, Number.MAX_SAFE_INTEGER, true);
  },
  plan(sessions, options) {
    return toBatches(chunk(sessions, Math.max(1, Math.floor(options['batch-size'] ?? 8))));
  },
};
