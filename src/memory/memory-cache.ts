import type { MemoryRecord } from './schema.ts';
import type { StoreFiles } from './store-files.ts';

/**
 * Reading every memory file of a 2,000-memory store takes ~100 ms, and every write needs the
 * whole set (path conflicts, count limit). The set only changes when a version is written, and
 * versions are written before memory files (commit.ts), so the number of version files is a
 * generation counter: same count and no journal (no write in flight) → same memories. Works
 * across processes and threads, each with its own cache. Hand edits to memories/*.json are not
 * noticed — they are not a supported way to change a store.
 */

interface Entry {
  versionCount: number;
  memories: readonly MemoryRecord[];
}

// A handful of stores: a server touches a few at a time, and an entry can hold 200 MB at worst.
const MAX_ENTRIES = 8;
const cache = new Map<string, Entry>();

function remember(dir: string, entry: Entry): void {
  cache.delete(dir);
  cache.set(dir, entry);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** Live memories (unsorted) and the version count they correspond to. Records are never mutated. */
export async function loadMemories(files: StoreFiles): Promise<Entry> {
  const before = (await files.versionIds()).length;
  const hit = cache.get(files.dir);
  if (hit && hit.versionCount === before && !(await files.journalExists())) {
    remember(files.dir, hit);
    return hit;
  }
  const journalBefore = await files.journalExists();
  const memories = await files.readAllMemories();
  const after = (await files.versionIds()).length;
  const entry = { versionCount: after, memories };
  // Only a read no writer could have overlapped is worth keeping.
  if (!journalBefore && before === after && !(await files.journalExists())) remember(files.dir, entry);
  return entry;
}

/** After our own commit: the planner's state is exactly what is now on disk. */
export function rememberCommitted(files: StoreFiles, versionCount: number, memories: readonly MemoryRecord[]): void {
  remember(files.dir, { versionCount, memories });
}

export function forgetStore(files: StoreFiles): void {
  cache.delete(files.dir);
}
