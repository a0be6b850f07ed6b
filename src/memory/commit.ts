import { rm } from 'node:fs/promises';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import { mapLimited } from './map-limited.ts';
import type { StoreFiles } from './store-files.ts';
import { JournalRecord, type ChangeRecord } from './schema.ts';
import { removeTreeFile, syncTree, writeTreeFile } from './tree.ts';

/**
 * Applying a write to disk, all or nothing. The change list is journaled first; then versions
 * (new, immutable files), memory records, and the tree mirror are written; then the journal is
 * removed. A writer killed at any point leaves the journal behind, and the next writer (who
 * holds the lock, so the dead one cannot be running) replays it before doing anything else.
 * Every step is idempotent, so replaying a half-applied journal is safe.
 */

async function apply(files: StoreFiles, changes: readonly ChangeRecord[]): Promise<void> {
  // Versions before memories: a reader that sees the version count unchanged can trust that no
  // memory file changed (memory-cache.ts relies on it).
  await mapLimited(changes, (c) => files.writeVersion(c.version));
  await mapLimited(changes, async (c) => {
    if (c.after) await files.writeMemory(c.after);
    else if (c.before) await files.removeMemory(c.before.id);
  });
  // Tree: every removal before any write, so a path freed by one change (a rename, a delete)
  // can be taken by another in the same batch, even as a folder.
  // Removals run one at a time: each prunes the folders it empties, and two prunes racing on
  // one folder is harmless but wasteful.
  for (const c of changes) {
    if (c.before && (!c.after || c.after.path !== c.before.path)) await removeTreeFile(files.dir, c.before.path);
  }
  await mapLimited(changes, async (c) => {
    const a = c.after;
    if (a && (!c.before || c.before.path !== a.path || c.before.content_sha256 !== a.content_sha256)) {
      await writeTreeFile(files.dir, a.path, a.content);
    }
  });
}

export async function commitChanges(files: StoreFiles, changes: readonly ChangeRecord[]): Promise<void> {
  if (changes.length === 0) return;
  const journal = files.journal;
  // A single change needs no journal to be replayable in spirit, but one code path is simpler
  // to trust than two.
  await writeJsonAtomic(journal, { changes: [...changes] } satisfies JournalRecord);
  await apply(files, changes);
  await rm(journal, { force: true });
}

/** Finish a write a dead writer left half-done. Call while holding the store lock. */
export async function recoverJournal(files: StoreFiles): Promise<boolean> {
  const journal = await readJsonIfExists(files.journal, JournalRecord);
  if (!journal) return false;
  await apply(files, journal.changes);
  await rm(files.journal, { force: true });
  return true;
}

/** Rebuild tree/ from the memory records (the truth). Returns how many files were fixed. */
export async function repairTree(files: StoreFiles): Promise<number> {
  const live = new Map<string, string>();
  for (const m of await files.readAllMemories()) live.set(m.path, m.content);
  return syncTree(files.dir, live);
}
