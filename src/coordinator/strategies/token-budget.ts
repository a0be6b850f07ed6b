import { fillByBudget } from './budget.ts';
import { estimateTokens } from './session-features.ts';
import { requireContext, type BatchingStrategy } from './types.ts';
import { requireRange } from './options.ts';

export const tokenBudget: BatchingStrategy = {
  name: 'token-budget',
  description:
    'Fills batches, in input order, until adding the next session would pass `batch-tokens` estimated tokens ' +
    '(default 200,000); a larger session gets a batch of its own. Tokens are estimated at 4 bytes a token: ' +
    "a build log's source bytes, a transcript's event text (its JSON framing is never sent to a model). " +
    'Bounds what one model context has to hold, which byte budgets over-count for JSON transcripts.',
  defaults: { 'batch-tokens': 200_000 },
  validate(options) {
    requireRange('token-budget', options, 'batch-tokens', 1, Number.MAX_SAFE_INTEGER, true);
  },
  async plan(sessions, options, context) {
    const { paths } = requireContext('token-budget', context);
    const tokens = new Map<string, number>();
    for (const s of sessions) tokens.set(s.id, await estimateTokens(paths, s.id));
    return fillByBudget(sessions, (s) => tokens.get(s.id) ?? 0, Math.floor(options['batch-tokens'] ?? 200_000));
  },
};
