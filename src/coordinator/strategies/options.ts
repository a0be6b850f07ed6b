import { InvalidInputError } from '../../core/errors.ts';

/** Refuse a strategy option outside its range, naming the strategy and the option. */
export function requireRange(strategy: string, options: Readonly<Record<string, number>>, key: string, min: number, max: number, integer = false): void {
  const v = options[key];
  if (v === undefined) return;
  if (!(v >= min && v <= max) || (integer && !Number.isInteger(v))) {
    throw new InvalidInputError(
      'invalid_strategy_option',
      `strategy ${strategy}: option ${key} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${v}`,
    );
  }
}
