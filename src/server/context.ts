import type { RootPaths } from '../core/root.ts';
import type { Actor } from '../memory/schema.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { DreamRepo } from '../dreams/repo.ts';

/** What every route handler works with: the root and its repositories. */
export interface ServerContext {
  paths: RootPaths;
  stores: MemoryStoreRepo;
  dreams: DreamRepo;
}

export function serverContext(paths: RootPaths): ServerContext {
  return { paths, stores: new MemoryStoreRepo(paths), dreams: new DreamRepo(paths) };
}

/** Writes through the API are attributed to the key that made them (by its non-secret id). */
export function apiActor(keyId: string): Actor {
  return { type: 'api_actor', api_key_id: keyId };
}
