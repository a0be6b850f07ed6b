import { InvalidInputError } from '../core/errors.ts';
import { validateContent } from './content.ts';
import { MAX_MEMORIES_PER_STORE } from './limits.ts';
import { comparePaths, validateMemoryPath } from './paths.ts';
import { findOverlap } from './path-index.ts';

/**
 * The live content of a store as plain data: what the dream pipeline reads (input store),
 * produces (candidate store) and diffs. Always sorted by path.
 */
export type StoreSnapshot = { path: string; content: string }[];

/**
 * Check a whole snapshot before anything is written: every path and content, no duplicate or
 * overlapping paths, the memory count. Errors name the entry (`target[3].path`). Returns a
 * sorted copy.
 */
export function validateSnapshot(target: unknown, field = 'target'): StoreSnapshot {
  if (!Array.isArray(target)) throw new InvalidInputError('invalid_snapshot', `${field}: expected an array of {path, content}`, { field });
  if (target.length > MAX_MEMORIES_PER_STORE) {
    throw new InvalidInputError(
      'memory_limit_exceeded',
      `${field}: ${target.length} memories; a store holds at most ${MAX_MEMORIES_PER_STORE}`,
      { field, count: target.length, limit: MAX_MEMORIES_PER_STORE },
    );
  }
  const out: StoreSnapshot = target.map((entry: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new InvalidInputError('invalid_snapshot', `${at}: expected {path, content}`, { field: at });
    const { path, content } = entry as Record<string, unknown>;
    return { path: validateMemoryPath(path, `${at}.path`), content: validateContent(content, `${at}.content`) };
  });
  const overlap = findOverlap(out.map((e) => e.path));
  if (overlap) {
    const [a, b] = overlap;
    const why = a === b ? `path ${JSON.stringify(a)} appears twice` : `${JSON.stringify(a)} is a folder of ${JSON.stringify(b)}; a path cannot be both a memory and a folder`;
    throw new InvalidInputError('invalid_snapshot', `${field}: ${why}`, { field, conflicting_path: a === b ? a : b });
  }
  return out.sort((x, y) => comparePaths(x.path, y.path));
}
