import { InvalidInputError } from '../../core/errors.ts';
import type { BatchingStrategy } from './types.ts';
import { fixedCount } from './fixed-count.ts';
import { byteBudget } from './byte-budget.ts';
import { oneBatch } from './one-batch.ts';

const BUILT_IN: readonly BatchingStrategy[] = [fixedCount, byteBudget, oneBatch];

export const DEFAULT_STRATEGY = fixedCount.name;

export function strategyNames(): string[] {
  return BUILT_IN.map((s) => s.name);
}

export function getStrategy(name: string): BatchingStrategy {
  const found = BUILT_IN.find((s) => s.name === name);
  if (!found) {
    throw new InvalidInputError('unknown_strategy', `--strategy: unknown strategy ${JSON.stringify(name)}; known: ${strategyNames().join(', ')}`);
  }
  return found;
}

/** Merge user options over the strategy's defaults, refusing options it does not read. */
export function strategyOptions(strategy: BatchingStrategy, given: Record<string, number>): Record<string, number> {
  for (const [key, value] of Object.entries(given)) {
    if (!(key in strategy.defaults)) {
      throw new InvalidInputError('unknown_strategy_option', `--${key} does not apply to strategy ${strategy.name}`);
    }
    if (!Number.isFinite(value) || value <= 0) {
      throw new InvalidInputError('invalid_strategy_option', `--${key}: must be a positive number, got ${value}`);
    }
  }
  return { ...strategy.defaults, ...given };
}
