import { sha256Hex } from '../core/ids.ts';
import { comparePaths } from './paths.ts';
import type { Planner } from './planner.ts';
import type { MemoryRecord } from './schema.ts';
import type { StoreSnapshot } from './snapshot.ts';

/**
 * What applySnapshot did, by path, sorted. Each entry of `created`, `modified` and `deleted`
 * is exactly one new version with that operation; `renamed` details which of the `modified`
 * were moves (listed in `modified` under their new path).
 */
export interface ApplyResult {
  created: string[];
  modified: string[];
  deleted: string[];
  renamed: { from: string; to: string }[];
}

/**
 * Plan the fewest versions that make the store's live memories equal `target` (already
 * validated): unchanged memories get nothing; a memory whose exact content moved to a new path
 * becomes one rename (a `modified` version that keeps its id and history) instead of a delete
 * plus a create. Pairing is deterministic: removed and added paths in sorted order.
 */
export function planSnapshot(planner: Planner, target: StoreSnapshot): ApplyResult {
  const current = [...planner.byId.values()].sort((a, b) => comparePaths(a.path, b.path));
  const currentByPath = new Map(current.map((m) => [m.path, m]));
  const targetByPath = new Map(target.map((e) => [e.path, e.content]));

  const removed = current.filter((m) => !targetByPath.has(m.path));
  const added = target.filter((e) => !currentByPath.has(e.path));
  const changed = target.filter((e) => {
    const m = currentByPath.get(e.path);
    return m !== undefined && m.content !== e.content;
  });

  const removedBySha = new Map<string, MemoryRecord[]>();
  for (const m of removed) {
    const list = removedBySha.get(m.content_sha256) ?? [];
    list.push(m);
    removedBySha.set(m.content_sha256, list);
  }
  const renames: { mem: MemoryRecord; to: string }[] = [];
  const creates: { path: string; content: string }[] = [];
  for (const e of added) {
    const mem = removedBySha.get(sha256Hex(e.content))?.shift();
    if (mem) renames.push({ mem, to: e.path });
    else creates.push(e);
  }
  const renamedIds = new Set(renames.map((r) => r.mem.id));
  const deletes = removed.filter((m) => !renamedIds.has(m.id));

  // Deletes first so the count and the index never transiently exceed what the target holds.
  for (const m of deletes) planner.delete(m);
  for (const r of renames) planner.modify(r.mem, { path: r.to });
  for (const e of changed) planner.modify(currentByPath.get(e.path)!, { content: e.content });
  for (const e of creates) planner.create(e.path, e.content);

  return {
    created: creates.map((e) => e.path),
    modified: [...renames.map((r) => r.to), ...changed.map((e) => e.path)].sort(comparePaths),
    deleted: deletes.map((m) => m.path),
    renamed: renames.map((r) => ({ from: r.mem.path, to: r.to })),
  };
}
