import { hostname } from 'node:os';
import { isAlive } from '../core/lock.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import { runDream, type RunHooks } from './run-dream.ts';

/**
 * Dreams left pending or running by a process that is gone (kill -9, power loss). A dream whose
 * owner still runs is not ours to touch. `includeOwnProcess`: also dreams owned by this very
 * process (a server restarted in the same process, which tracks its live ones itself).
 */
export async function orphanedDreams(paths: RootPaths, opts: { includeOwnProcess?: boolean } = {}): Promise<DreamRecord[]> {
  const repo = new DreamRepo(paths);
  const out: DreamRecord[] = [];
  for (const d of await repo.list({ include_archived: true, statuses: ['pending', 'running'] })) {
    const owner = await repo.owner(d.id);
    if (!owner) {
      if (d.status === 'running') out.push(d);
      continue;
    }
    const mine = owner.pid === process.pid && owner.host === hostname();
    if (mine ? opts.includeOwnProcess : owner.host === hostname() && !isAlive(owner.pid)) out.push(d);
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
