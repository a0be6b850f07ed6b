import { nowIso } from '../core/clock.ts';
import { commitChanges, recoverJournal, repairTree } from './commit.ts';
import { withStoreLock } from './lock.ts';
import { forgetStore, loadMemories, rememberCommitted } from './memory-cache.ts';
import { Planner } from './planner.ts';
import { assertWritable, parseActor } from './rules.ts';
import type { Actor } from './schema.ts';
import type { StoreFiles } from './store-files.ts';

/**
 * The one way into a store for writes: take the lock, finish whatever a dead writer left
 * (journal replay; a tree repair when its lock was stale), then run the operation.
 */
export async function locked<T>(files: StoreFiles, fn: () => Promise<T>): Promise<T> {
  await files.readStore(); // 404 before touching the lock of a store that does not exist
  return withStoreLock(
    files.dir,
    async () => {
      if (await recoverJournal(files)) forgetStore(files);
      return fn();
    },
    { onStale: async () => void (await repairTree(files)) },
  );
}

/**
 * Plan against the current state under the lock, then commit every planned change at once.
 * `needsWritable`: refuse on an archived store (deleting memories stays allowed there).
 * A commit that fails halfway (disk full…) leaves its journal, and the next writer rolls it
 * forward: a validated write is never left half-applied.
 */
export async function mutate<T>(files: StoreFiles, actor: Actor, needsWritable: boolean, plan: (planner: Planner) => T): Promise<T> {
  const by = parseActor(actor);
  return locked(files, async () => {
    const store = needsWritable ? assertWritable(await files.readStore()) : await files.readStore();
    const { memories, versionCount } = await loadMemories(files);
    const planner = new Planner(store, memories, versionCount, by, nowIso());
    const result = plan(planner);
    if (planner.changes.length > 0) {
      await commitChanges(files, planner.changes);
      rememberCommitted(files, versionCount + planner.changes.length, [...planner.byId.values()]);
    }
    return result;
  });
}
