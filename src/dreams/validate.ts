import { InvalidInputError } from '../core/errors.ts';
import { assertId } from '../core/ids.ts';

export const DEFAULT_MAX_SESSIONS = 100;
export const MAX_INSTRUCTIONS_CHARS = 4096;

export interface DreamInputsRequest {
  memory_store_id: string;
  session_ids: string[];
  instructions: string | null;
  max_sessions?: number;
}

/** The contract's rules for a dream's inputs; each violation names the field. */
export function validateDreamInputs(req: DreamInputsRequest): void {
  assertId('store', req.memory_store_id, 'inputs[memory_store].memory_store_id');
  const cap = req.max_sessions ?? DEFAULT_MAX_SESSIONS;
  const ids = req.session_ids;
  if (ids.length === 0) {
    throw new InvalidInputError('too_few_sessions', 'inputs[sessions].session_ids: a dream needs at least 1 session');
  }
  if (ids.length > cap) {
    throw new InvalidInputError(
      'too_many_sessions',
      `inputs[sessions].session_ids: ${ids.length} sessions given, at most ${cap} per dream (dream run chains dreams for more)`,
    );
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    assertId('session', id, `inputs[sessions].session_ids[${i}]`);
    if (seen.has(id)) {
      throw new InvalidInputError('duplicate_session', `inputs[sessions].session_ids[${i}]: ${id} is listed twice`);
    }
    seen.add(id);
  });
  if (req.instructions !== null) {
    const n = [...req.instructions].length;
    if (n < 1 || n > MAX_INSTRUCTIONS_CHARS) {
      throw new InvalidInputError(
        'invalid_instructions',
        `instructions: ${n} characters; must be 1 to ${MAX_INSTRUCTIONS_CHARS}`,
      );
    }
  }
}
