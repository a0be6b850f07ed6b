import { InvalidInputError } from '../core/errors.ts';
import type { Engine } from './types.ts';
import { LocalEngine } from './local/engine.ts';

/** Engines by name. Factories, not instances: each caller (worker thread) gets its own. */
const FACTORIES: Readonly<Record<string, () => Engine>> = {
  local: () => new LocalEngine(),
};

export function engineNames(): string[] {
  return Object.keys(FACTORIES).sort();
}

export function createEngine(name: string): Engine {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!factory) {
    throw new InvalidInputError(
      'unknown_engine',
      `engine: unknown engine ${JSON.stringify(name)}; known engines: ${engineNames().join(', ')}`,
      { field: 'engine', value: name, known: engineNames() },
    );
  }
  return factory();
}
