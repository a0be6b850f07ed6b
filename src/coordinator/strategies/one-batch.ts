import { toBatches, type BatchingStrategy } from './types.ts';

export const oneBatch: BatchingStrategy = {
  name: 'one-batch',
  description:
    'Puts every session into a single batch handled by one worker: the single-agent baseline that other ' +
    'strategies are compared against. No parallelism.',
  defaults: {},
  plan(sessions) {
    return toBatches([sessions]);
  },
};
