import { InvalidInputError } from '../core/errors.ts';
import { splitSpecList } from '../coordinator/strategies/spec.ts';

/** What `dream compare` was asked, validated once and frozen. */
export interface CompareRequest {
  strategies: string[];
  sessions: string[];
  storeId: string | null;
  engine: string;
  replay: string | null;
  repeat: number;
  seed: number;
  workers: number;
  /** Sessions per dream; more become a chain of dreams (the product's default: 100). */
  maxSessions: number;
  out: string | null;
  /** The command line as typed, for experiment.json. */
  argv: string[];
}

export function compareRequest(r: Omit<CompareRequest, 'strategies'> & { strategies: string | string[] }): CompareRequest {
  const list = (Array.isArray(r.strategies) ? r.strategies : [r.strategies]).flatMap(splitSpecList);
  if (list.length === 0) throw new InvalidInputError('invalid_compare', '--strategies: name at least one strategy (e.g. fixed-count,one-batch)');
  const dupes = list.filter((s, i) => list.indexOf(s) !== i);
  if (dupes.length > 0) throw new InvalidInputError('invalid_compare', `--strategies: ${JSON.stringify(dupes[0])} is listed twice`);
  if (r.sessions.length === 0) throw new InvalidInputError('invalid_compare', '--sessions: give at least one session file, directory or glob');
  if (!Number.isInteger(r.repeat) || r.repeat < 0 || r.repeat > 100) throw new InvalidInputError('invalid_compare', `--repeat: must be an integer from 0 to 100, got ${r.repeat}`);
  if (!Number.isInteger(r.seed) || r.seed < 0 || r.seed > 0xffffffff) throw new InvalidInputError('invalid_compare', `--seed: must be an integer from 0 to 4294967295, got ${r.seed}`);
  if (!Number.isInteger(r.maxSessions) || r.maxSessions < 1) throw new InvalidInputError('invalid_compare', `--max-sessions: must be a positive integer, got ${r.maxSessions}`);
  if (r.engine !== 'local' && r.engine !== 'claude') throw new InvalidInputError('invalid_compare', `--engine: must be local or claude, got ${JSON.stringify(r.engine)}`);
  if (r.replay !== null && r.engine !== 'claude') throw new InvalidInputError('invalid_compare', '--replay applies to --engine claude only');
  return Object.freeze({ ...r, strategies: list });
}
