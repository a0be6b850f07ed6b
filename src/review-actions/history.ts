import { InvalidInputError } from '../core/errors.ts';
import { comparePaths } from '../memory/paths.ts';
import type { VersionRecord } from '../memory/schema.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';

/** What a redacted version's content reads as in a diff for people: its bytes are gone, and the diff should say so. */
export const REDACTED_CONTENT = '[content redacted]\n';

/**
 * A store's live memories as they were right after version `seq` (0 = before any version),
 * rebuilt from its immutable history: for each memory, its last version at or before `seq`.
 * A memory whose content was redacted since cannot be restored; `onRedacted: 'error'` says
 * which (a rollback must be exact), `'skip'` leaves it out, `'placeholder'` shows it as
 * REDACTED_CONTENT at the last path it had (a diff for people to read).
 */
export function stateAtSeq(versions: readonly VersionRecord[], seq: number, onRedacted: 'error' | 'skip' | 'placeholder' = 'error'): StoreSnapshot {
  const last = new Map<string, VersionRecord>();
  // A redacted version has lost its path too; the memory keeps the last path it had before.
  const pathOf = new Map<string, { seq: number; path: string }>();
  for (const v of versions) {
    if (v.seq > seq) continue;
    const prev = last.get(v.memory_id);
    if (!prev || prev.seq < v.seq) last.set(v.memory_id, v);
    const known = pathOf.get(v.memory_id);
    if (v.path !== null && (!known || known.seq < v.seq)) pathOf.set(v.memory_id, { seq: v.seq, path: v.path });
  }
  const out: StoreSnapshot = [];
  for (const v of last.values()) {
    if (v.operation === 'deleted') continue;
    if (v.content === null || v.path === null) {
      if (onRedacted === 'skip') continue;
      if (onRedacted === 'placeholder') {
        out.push({ path: pathOf.get(v.memory_id)?.path ?? `/(redacted ${v.memory_id})`, content: REDACTED_CONTENT });
        continue;
      }
      throw new InvalidInputError(
        'rollback_redacted',
        `version ${v.id} (seq ${v.seq}) of memory ${v.memory_id} was redacted at ${v.redacted_at ?? '?'}; the state at seq ${seq} cannot be restored exactly`,
        { memory_version_id: v.id },
      );
    }
    out.push({ path: v.path, content: v.content });
  }
  return out.sort((a, b) => comparePaths(a.path, b.path));
}

/** The same as of a moment: every version created at or before `at` (an ISO timestamp). */
export function stateAtTime(versions: readonly VersionRecord[], at: string): StoreSnapshot {
  const limit = Date.parse(at);
  const seq = versions.reduce((m, v) => (Date.parse(v.created_at) <= limit ? Math.max(m, v.seq) : m), 0);
  return stateAtSeq(versions, seq, 'placeholder');
}

export function maxSeq(versions: readonly VersionRecord[]): number {
  return versions.reduce((m, v) => Math.max(m, v.seq), 0);
}
