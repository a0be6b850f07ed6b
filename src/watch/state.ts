import { join } from 'node:path';
import { z } from 'zod';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';

/**
 * The watch's memory across restarts, `<root>/watch/<name>.json`, always written atomically:
 *  - `files`: every file seen, by absolute path, with the size and mtime it was imported at, so a
 *    restart does not import it again (and a changed file is imported again);
 *  - `pending`: sessions imported but not yet dreamed over, so a restart still dreams over them;
 *  - `store_id`: the store the next dream reads — with create_new, the newest output of the chain;
 *  - `in_flight`: the dream running now, so a restart finishes it instead of starting another.
 */
export const WatchedFile = z.object({
  size: z.number().int().nonnegative(),
  mtime_ms: z.number(),
  session_id: z.string().nullable(),
  /** Why the file was refused (binary, empty …); it is tried again only when it changes. */
  error: z.string().nullable(),
});
export type WatchedFile = z.infer<typeof WatchedFile>;

export const WatchDreamEntry = z.object({
  dream_id: z.string(),
  status: z.string(),
  input_store_id: z.string(),
  output_store_id: z.string().nullable(),
  session_count: z.number().int(),
  error: z.string().nullable(),
});
export type WatchDreamEntry = z.infer<typeof WatchDreamEntry>;

export const WatchState = z.object({
  version: z.literal(1),
  name: z.string(),
  /** The store the watch was started on; a restart with another --store is refused. */
  origin_store_id: z.string(),
  store_id: z.string(),
  files: z.record(z.string(), WatchedFile),
  /** Oldest first; the T-minutes trigger counts from the first one's arrival. */
  pending: z.array(z.object({ session_id: z.string(), imported_at: z.string() })),
  in_flight: z.object({ dream_id: z.string(), session_ids: z.array(z.string()) }).nullable(),
  /** The latest dreams of this watch, newest last (bounded, so the file stays small). */
  dreams: z.array(WatchDreamEntry),
});
export type WatchState = z.infer<typeof WatchState>;

export const DREAM_HISTORY = 50;

export function watchDir(paths: RootPaths): string {
  return join(paths.root, 'watch');
}

export function stateFile(paths: RootPaths, name: string): string {
  return join(watchDir(paths), `${name}.json`);
}

export function newState(name: string, storeId: string): WatchState {
  return {
    version: 1,
    name,
    origin_store_id: storeId,
    store_id: storeId,
    files: {},
    pending: [],
    in_flight: null,
    dreams: [],
  };
}

export function loadState(paths: RootPaths, name: string): Promise<WatchState | undefined> {
  return readJsonIfExists(stateFile(paths, name), WatchState);
}

/**
 * Saves are serialized (each writes the latest snapshot, in order), so a slow save never lands
 * after a newer one. Files are sorted by path: the same history gives the same bytes.
 */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  save(state: WatchState): Promise<void> {
    const snapshot = JSON.parse(
      JSON.stringify({
        ...state,
        files: Object.fromEntries(
          Object.entries(state.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        ),
      }),
    ) as WatchState;
    const next = this.chain.then(() => writeJsonAtomic(this.path, snapshot));
    this.chain = next.catch(() => {});
    return next;
  }

  flush(): Promise<void> {
    return this.chain;
  }
}
