import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../core/errors.ts';

/** Commander option parsers that fail with the option's name in the message. */
export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidInputError('invalid_option', `${name}: expected a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** `--instructions TEXT` or `--instructions @FILE`. */
export function textOrFile(value: string): string {
  if (!value.startsWith('@')) return value;
  try {
    return readFileSync(value.slice(1), 'utf8');
  } catch (e) {
    throw new InvalidInputError('instructions_unreadable', `--instructions ${value}: ${(e as Error).message}`);
  }
}
