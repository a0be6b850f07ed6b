import { InvalidInputError } from '../core/errors.ts';
import {
  MAX_METADATA_KEY_CHARS,
  MAX_METADATA_PAIRS,
  MAX_METADATA_VALUE_CHARS,
  MAX_STORE_DESCRIPTION_CHARS,
  MAX_STORE_NAME_CHARS,
} from './limits.ts';

/** Store name, description and metadata rules (SDK MemoryStoreCreateParams / UpdateParams). */

const CONTROL = /[\p{Cc}]/u;

function bad(field: string, message: string): never {
  throw new InvalidInputError('invalid_store_field', `${field}: ${message}`, { field });
}

function chars(s: string): number {
  return [...s].length;
}

export function validateStoreName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string') bad(field, 'expected a string');
  const n = chars(name);
  if (n < 1 || n > MAX_STORE_NAME_CHARS) bad(field, `must be 1 to ${MAX_STORE_NAME_CHARS} characters, got ${n}`);
  if (CONTROL.test(name)) bad(field, 'must not contain control characters');
  return name;
}

export function validateDescription(description: unknown, field = 'description'): string {
  if (typeof description !== 'string') bad(field, 'expected a string');
  const n = chars(description);
  if (n > MAX_STORE_DESCRIPTION_CHARS) bad(field, `must be at most ${MAX_STORE_DESCRIPTION_CHARS} characters, got ${n}`);
  return description;
}

function validateKey(key: string, field: string): void {
  const n = chars(key);
  if (n < 1 || n > MAX_METADATA_KEY_CHARS) bad(field, `key ${JSON.stringify(key)} must be 1 to ${MAX_METADATA_KEY_CHARS} characters`);
}

function validateValue(value: unknown, field: string): string {
  if (typeof value !== 'string') bad(field, 'expected a string value');
  if (chars(value) > MAX_METADATA_VALUE_CHARS) bad(field, `value must be at most ${MAX_METADATA_VALUE_CHARS} characters`);
  return value;
}

function checkCount(out: Record<string, string>, field: string): Record<string, string> {
  const n = Object.keys(out).length;
  if (n > MAX_METADATA_PAIRS) bad(field, `at most ${MAX_METADATA_PAIRS} pairs, got ${n}`);
  return sortKeys(out);
}

/** Keys sorted so store.json is byte-stable whatever order a caller sent them in. */
function sortKeys(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k]!;
  return out;
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(field, 'expected an object of string values');
  return value as Record<string, unknown>;
}

export function validateMetadata(metadata: unknown, field = 'metadata'): Record<string, string> {
  const obj = asObject(metadata, field);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    validateKey(k, `${field}.${k}`);
    out[k] = validateValue(v, `${field}.${k}`);
  }
  return checkCount(out, field);
}

/** Update semantics: a string adds or replaces, null removes, keys left out keep their value. */
export function patchMetadata(current: Record<string, string>, patch: unknown, field = 'metadata'): Record<string, string> {
  const obj = asObject(patch, field);
  const out: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(obj)) {
    validateKey(k, `${field}.${k}`);
    if (v === null) delete out[k];
    else out[k] = validateValue(v, `${field}.${k}`);
  }
  return checkCount(out, field);
}
