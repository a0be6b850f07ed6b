import type { MemoryStoreRepo } from '../memory/repo.ts';
import { comparePaths } from '../memory/paths.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';

/** What a redacted version's content reads as: its bytes are gone, and the diff should say so. */
export const REDACTED_CONTENT = '[content redacted]\n';

/**
 * A store's live memories as they were at `at`, rebuilt from its immutable versions (oldest
 * first, the last version of each memory up to `at` wins, a deletion removes it). The review page
 * diffs a dream's output against its input *as the dream read it*, so later edits to the input
 * store, or an update_existing dream writing into it, do not blur the diff.
 */
export async function snapshotAt(stores: MemoryStoreRepo, storeId: string, at: string): Promise<StoreSnapshot> {
  const limit = Date.parse(at);
  const versions = await stores.listVersions(storeId, { view: 'full' });
  const live = new Map<string, { path: string; content: string }>();
  // listVersions is newest first by the store's sequence; replay oldest first.
  for (const v of [...versions].reverse()) {
    if (Date.parse(v.created_at) > limit) continue;
    if (v.operation === 'deleted') {
      live.delete(v.memory_id);
      continue;
    }
    // A redacted version has lost its path too; the memory keeps the path it had before.
    const path = v.path ?? live.get(v.memory_id)?.path ?? `/(redacted ${v.memory_id})`;
    live.set(v.memory_id, { path, content: v.content ?? REDACTED_CONTENT });
  }
  return [...live.values()].sort((a, b) => comparePaths(a.path, b.path));
}
