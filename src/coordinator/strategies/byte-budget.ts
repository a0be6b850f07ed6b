import { fillByBudget } from './budget.ts';
import { requireRange } from './options.ts';
import type { BatchingStrategy } from './types.ts';

export const byteBudget: BatchingStrategy = {
  name: 'byte-budget',
  description:
    'Fills batches, in input order, until adding the next session would pass `batch-bytes` (default 4 MiB); ' +
    'a session larger than the budget gets a batch of its own. Evens out work per worker when session ' +
    'sizes vary, and bounds what one worker (or one model context) has to hold.',
  defaults: { 'batch-bytes': 4 * 1024 * 1024 },
  validate(options) {
    requireRange('byte-budget', options, 'batch-bytes', 1, Number.MAX_SAFE_INTEGER, true);
  },
  plan(sessions, options) {
    return fillByBudget(sessions, (s) => s.bytes, Math.max(1, Math.floor(options['batch-bytes'] ?? 4 * 1024 * 1024)));
  },
};
