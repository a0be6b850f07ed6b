import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { validateDreamInputs } from '../../src/dreams/validate.ts';

const store = newId('store');
const sessions = (n: number) => Array.from({ length: n }, () => newId('session'));

describe('dream input rules', () => {
  it('accepts 1 to 100 unique sessions and instructions up to 4,096 characters', () => {
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: sessions(1), instructions: null })).not.toThrow();
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: sessions(100), instructions: 'x'.repeat(4096) })).not.toThrow();
  });

  it('names the field of each violation', () => {
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: [], instructions: null })).toThrow(
      'inputs[sessions].session_ids: a dream needs at least 1 session',
    );
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: sessions(101), instructions: null })).toThrow(
      /101 sessions given, at most 100 per dream/,
    );
    const [a] = sessions(1);
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: [a!, a!], instructions: null })).toThrow(
      `inputs[sessions].session_ids[1]: ${a} is listed twice`,
    );
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: ['../etc'], instructions: null })).toThrow(
      /session_ids\[0\]: "\.\.\/etc" is not a valid sesn_/,
    );
    expect(() => validateDreamInputs({ memory_store_id: 'memstore_!', session_ids: sessions(1), instructions: null })).toThrow(
      /memory_store_id/,
    );
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: sessions(1), instructions: 'x'.repeat(4097) })).toThrow(
      'instructions: 4097 characters; must be 1 to 4096',
    );
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: sessions(1), instructions: '' })).toThrow(/instructions: 0 characters/);
  });

  it('honors a configured cap', () => {
    expect(() => validateDreamInputs({ memory_store_id: store, session_ids: sessions(3), instructions: null, max_sessions: 2 })).toThrow(
      /at most 2 per dream/,
    );
  });
});
