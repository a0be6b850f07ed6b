/**
 * Strategies by name. A spec (spec.ts) names a batching strategy — built in, or a user module
 * loaded from a path — and a merge strategy; resolving it gives one BatchingStrategy whose name
 * is the canonical spec and whose defaults hold every option both parts read, so a dream's
 * RunConfig (strategy + strategy_options) records the whole choice.
 */
import { InvalidInputError } from '../../core/errors.ts';
import type { BatchingStrategy } from './types.ts';
import { fixedCount } from './fixed-count.ts';
import { byteBudget } from './byte-budget.ts';
import { tokenBudget } from './token-budget.ts';
import { similarityStrategy } from './similarity.ts';
import { bySource } from './by-source.ts';
import { timeWindow } from './time-window.ts';
import { oneBatch } from './one-batch.ts';
import { getMerging, MERGING, type MergingStrategy } from './merging.ts';
import { formatSpec, parseSpec, type StrategySpec } from './spec.ts';
import { loadStrategyModule } from './user-module.ts';

const BUILT_IN: readonly BatchingStrategy[] = [fixedCount, byteBudget, tokenBudget, similarityStrategy, bySource, timeWindow, oneBatch];

/** User modules loaded in this process, by absolute path. */
const loaded = new Map<string, BatchingStrategy>();

export const DEFAULT_STRATEGY = fixedCount.name;

export function strategyNames(): string[] {
  return BUILT_IN.map((s) => s.name);
}

export function builtInStrategies(): readonly BatchingStrategy[] {
  return BUILT_IN;
}

export function mergingStrategies(): readonly MergingStrategy[] {
  return MERGING;
}

function batchingOf(spec: StrategySpec, text: string): BatchingStrategy {
  if (spec.batching.path !== null) {
    const mod = loaded.get(spec.batching.path);
    if (!mod) throw new InvalidInputError('strategy_module_unreadable', `strategy module ${spec.batching.path} is not loaded (resolveStrategy loads it)`);
    return mod;
  }
  const found = BUILT_IN.find((s) => s.name === spec.batching.name);
  if (!found) {
    throw new InvalidInputError('unknown_strategy', `--strategy: unknown strategy ${JSON.stringify(spec.batching.name)} in ${JSON.stringify(text)}; known: ${strategyNames().join(', ')} (or a module path)`);
  }
  return found;
}

function checkKeys(owner: string, given: Record<string, number>, defaults: Readonly<Record<string, number>>): void {
  for (const key of Object.keys(given)) {
    if (!(key in defaults)) {
      const known = Object.keys(defaults);
      throw new InvalidInputError('unknown_strategy_option', `--${key} does not apply to strategy ${owner}${known.length ? ` (it reads: ${known.join(', ')})` : ' (it reads no options)'}`);
    }
  }
}

/** The strategy a spec names (its user module, if any, already loaded). Synchronous. */
export function getStrategy(text: string): BatchingStrategy {
  const spec = parseSpec(text);
  const batching = batchingOf(spec, text);
  const merging = getMerging(spec.merging.name);
  checkKeys(batching.name, spec.batching.options, batching.defaults);
  checkKeys(merging.name, spec.merging.options, merging.defaults);
  for (const [key, value] of Object.entries({ ...spec.batching.options, ...spec.merging.options })) {
    if (value <= 0) throw new InvalidInputError('invalid_strategy_option', `strategy ${JSON.stringify(text)}: option ${key} must be a positive number, got ${value}`);
  }
  const plain = spec.batching.path === null && Object.keys(spec.batching.options).length === 0 && formatSpec(spec) === spec.batching.name;
  if (plain) return batching;
  const defaults = { ...batching.defaults, ...merging.defaults, ...spec.batching.options, ...spec.merging.options };
  return {
    name: formatSpec(spec),
    description: `${batching.description} Merge: ${merging.description}`,
    defaults,
    validate: (o) => {
      batching.validate?.(o);
      merging.validate?.(o);
    },
    plan: (sessions, options, context) => batching.plan(sessions, options, context),
  };
}

/** Like getStrategy, loading the spec's user module first when it names one. */
export async function resolveStrategy(text: string): Promise<BatchingStrategy> {
  const spec = parseSpec(text);
  if (spec.batching.path !== null && !loaded.has(spec.batching.path)) loaded.set(spec.batching.path, await loadStrategyModule(spec.batching.path));
  return getStrategy(text);
}

/** The merge part of a stored strategy name: what consolidation builds its merge tree with. */
export function mergingOf(text: string): { name: string } {
  return { name: parseSpec(text).merging.name };
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
  const options = { ...strategy.defaults, ...given };
  strategy.validate?.(options);
  return options;
}
