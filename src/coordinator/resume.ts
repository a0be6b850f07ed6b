import { hostname } from 'node:os';
import { isAlive } from '../core/lock.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import { runDream, type RunHooks } from './run-dream.ts';

/**
 * Dreams left pending or running by a process that is gone (kill -9, power loss). A dream whose
 * owner still runs is not ours to touch.
 */
export async function orphanedDreams(paths: RootPaths): Promise<DreamRecord[]> {
  const repo = new DreamRepo(paths);
  const out: DreamRecord[] = [];
  for (const d of await repo.list({ include_archived: true, statuses: ['pending', 'running'] })) {
    const owner = await repo.owner(d.id);
    if (!owner) {
      if (d.status === 'running') out.push(d);
      continue;
    }
    if (owner.pid === process.pid) continue;
    if (owner.host === hostname() && !isAlive(owner.pid)) out.push(d);
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

/** Resume every orphaned dream; batches already done are skipped, so the store comes out the same. */
export async function resumeOrphans(paths: RootPaths, hooks: RunHooks = {}, onResume?: (d: DreamRecord) => void): Promise<DreamRecord[]> {
  const resumed: DreamRecord[] = [];
  for (const d of await orphanedDreams(paths)) {
    onResume?.(d);
    resumed.push(await runDream(paths, d.id, hooks));
  }
  return resumed;
}
