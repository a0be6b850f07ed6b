/**
 * Batching strategies from the user's own module (`--strategy ./my-strategy.ts`). The module's
 * default export (or its export named `strategy`) must satisfy BatchingStrategy; anything else
 * is refused with the file and the field that is wrong, before any work starts.
 */
import { access } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { InvalidInputError } from '../../core/errors.ts';
import type { BatchingStrategy } from './types.ts';

function invalid(file: string, field: string, problem: string): InvalidInputError {
  return new InvalidInputError('invalid_strategy_module', `strategy module ${file}: ${field} ${problem}`, { file, field });
}

/** Check an export against the BatchingStrategy contract; returns it typed, or throws naming the field. */
export function checkStrategyExport(file: string, value: unknown, field = 'default export'): BatchingStrategy {
  if (value === null || typeof value !== 'object') throw invalid(file, field, `must be an object implementing BatchingStrategy, got ${value === null ? 'null' : typeof value}`);
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || v.name.trim() === '') throw invalid(file, `${field}.name`, 'must be a non-empty string');
  if (typeof v.description !== 'string' || v.description.trim() === '') throw invalid(file, `${field}.description`, 'must be a non-empty string (one paragraph: what the strategy does)');
  if (v.defaults === null || typeof v.defaults !== 'object' || Array.isArray(v.defaults)) throw invalid(file, `${field}.defaults`, 'must be an object of option name → number');
  for (const [k, d] of Object.entries(v.defaults as Record<string, unknown>)) {
    if (typeof d !== 'number' || !Number.isFinite(d)) throw invalid(file, `${field}.defaults.${k}`, `must be a finite number, got ${JSON.stringify(d)}`);
  }
  if (typeof v.plan !== 'function') throw invalid(file, `${field}.plan`, `must be a function (sessions, options, context) => Batch[], got ${typeof v.plan}`);
  if (v.validate !== undefined && typeof v.validate !== 'function') throw invalid(file, `${field}.validate`, `must be a function when given, got ${typeof v.validate}`);
  return value as BatchingStrategy;
}

export async function loadStrategyModule(file: string): Promise<BatchingStrategy> {
  try {
    await access(file);
  } catch {
    throw new InvalidInputError('strategy_module_unreadable', `strategy module ${file}: no such file`, { file });
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidInputError('strategy_module_unreadable', `strategy module ${file}: could not be loaded: ${(e as Error).message}`, { file });
  }
  if (mod.default !== undefined) return checkStrategyExport(file, mod.default);
  if (mod.strategy !== undefined) return checkStrategyExport(file, mod.strategy, 'export strategy');
  throw invalid(file, 'default export', 'is missing (export default { name, description, defaults, plan }, or export const strategy = …)');
}
