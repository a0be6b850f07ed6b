import type { RootPaths } from '../core/root.ts';
import type { TaskPool } from '../coordinator/pool.ts';
import type { Actor } from '../memory/schema.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { DreamRepo } from '../dreams/repo.ts';

/** What every route handler works with: the root and its repositories. */
export interface ServerContext {
  paths: RootPaths;
  stores: MemoryStoreRepo;
  dreams: DreamRepo;
  /**
   * The dream runner's task threads, once it has started: CPU-heavy request work (importing an
   * uploaded log) runs there instead of blocking every other request on the main thread.
   */
  pool?: TaskPool;
}

export function serverContext(paths: RootPaths): ServerContext {
  return { paths, stores: new MemoryStoreRepo(paths), dreams: new DreamRepo(paths) };
}

/** Writes through the API are attributed to the key that made them (by its non-secret id). */
export function apiActor(keyId: string): Actor {
  return { type: 'api_actor', api_key_id: keyId };
}
