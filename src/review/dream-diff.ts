import { z } from 'zod';
import { readJsonIfExists } from '../core/atomic.ts';
import type { DreamRepo } from '../dreams/repo.ts';
import type { MemoryStoreRepo } from '../memory/repo.ts';
import { inputStoreId } from './dream-detail.ts';
import { stateAtTime } from '../review-actions/history.ts';
import { StoreFiles } from '../memory/store-files.ts';
import type { RootPaths } from '../core/root.ts';
import { diffSnapshots, type StoreDiff } from './store-diff.ts';

const Candidate = z.array(z.object({ path: z.string(), content: z.string() }));

export interface DreamDiff extends StoreDiff {
  from: { store_id: string; as_of: string };
  /**
   * What the input is compared with: the output store as it is now, or, for a dream that wrote
   * no store (failed, not satisfied, still running), the candidate its merger left in its folder.
   */
  to: { kind: 'output_store'; store_id: string } | { kind: 'candidate' } | { kind: 'none' };
}

/** The diff a reviewer approves: the dream's input store, as the dream read it, against its output. */
export async function dreamDiff(paths: RootPaths, dreams: DreamRepo, stores: MemoryStoreRepo, id: string): Promise<DreamDiff> {
  const dream = await dreams.get(id);
  const fromId = inputStoreId(dream);
  await stores.getStore(fromId); // a deleted input store is a 404, not an empty one
  // The input as the dream read it: later edits to the input store, or an update_existing dream
  // writing into it, must not blur the diff.
  const before = stateAtTime(await new StoreFiles(paths, fromId).readAllVersions(), dream.created_at);
  const from = { store_id: fromId, as_of: dream.created_at };
  const out = dream.outputs[0]?.memory_store_id;
  if (out !== undefined) {
    return { from, to: { kind: 'output_store', store_id: out }, ...diffSnapshots(before, await stores.snapshot(out)) };
  }
  const candidate = await readJsonIfExists(dreams.file(id, 'candidate.json'), Candidate);
  if (candidate) return { from, to: { kind: 'candidate' }, ...diffSnapshots(before, candidate) };
  return { from, to: { kind: 'none' }, changes: [], unchanged: before.length };
}
