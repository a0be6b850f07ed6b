import { InvalidInputError } from '../core/errors.ts';
import { comparePaths } from '../memory/paths.ts';
import type { VersionRecord } from '../memory/schema.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';

/**
 * A store's live memories as they were right after version `seq` (0 = before any version),
 * rebuilt from its immutable history: for each memory, its last version at or before `seq`.
 * A memory whose content was redacted since cannot be restored; `onRedacted: 'error'` says
 * which (a rollback must be exact), `'skip'` leaves it out (a diff for people to read).
 */
export function stateAtSeq(versions: readonly VersionRecord[], seq: number, onRedacted: 'error' | 'skip' = 'error'): StoreSnapshot {
  const last = new Map<string, VersionRecord>();
  for (const v of versions) {
    if (v.seq > seq) continue;
    const prev = last.get(v.memory_id);
    if (!prev || prev.seq < v.seq) last.set(v.memory_id, v);
  }
  const out: StoreSnapshot = [];
  for (const v of last.values()) {
    if (v.operation === 'deleted') continue;
    if (v.content === null || v.path === null) {
      if (onRedacted === 'skip') continue;
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

export function maxSeq(versions: readonly VersionRecord[]): number {
  return versions.reduce((m, v) => Math.max(m, v.seq), 0);
}
