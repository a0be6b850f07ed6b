import { comparePaths, pathSegments } from './paths.ts';

/**
 * Which memory a path collides with. A path collides with a memory at the same path, with a
 * memory at one of its ancestor folders (`/notes` blocks `/notes/a.md`) and with any memory
 * below it (`/notes/a.md` blocks `/notes`): in the tree mirror a name is a file or a folder,
 * never both.
 */
export interface PathEntry {
  path: string;
  id: string;
}

function ancestors(path: string): string[] {
  const segs = pathSegments(path);
  const out: string[] = [];
  for (let i = 1; i < segs.length; i++) out.push(`/${segs.slice(0, i).join('/')}`);
  return out;
}

export class PathIndex {
  private readonly byPath = new Map<string, string>();
  /** Folder path → memories below it (to find a blocker for a folder-vs-file clash). */
  private readonly below = new Map<string, Set<string>>();

  constructor(entries: Iterable<PathEntry> = []) {
    for (const e of entries) this.add(e);
  }

  add(e: PathEntry): void {
    this.byPath.set(e.path, e.id);
    for (const a of ancestors(e.path)) {
      let set = this.below.get(a);
      if (!set) this.below.set(a, (set = new Set()));
      set.add(e.path);
    }
  }

  remove(path: string): void {
    if (!this.byPath.delete(path)) return;
    for (const a of ancestors(path)) {
      const set = this.below.get(a);
      set?.delete(path);
      if (set && set.size === 0) this.below.delete(a);
    }
  }

  get size(): number {
    return this.byPath.size;
  }

  idAt(path: string): string | undefined {
    return this.byPath.get(path);
  }

  /** The memory that blocks `path`, ignoring `selfId` (a rename may move within its own folder). */
  conflictFor(path: string, selfId?: string): PathEntry | undefined {
    const same = this.byPath.get(path);
    if (same !== undefined && same !== selfId) return { path, id: same };
    for (const a of ancestors(path)) {
      const id = this.byPath.get(a);
      if (id !== undefined && id !== selfId) return { path: a, id };
    }
    const under = this.below.get(path);
    if (under) {
      // Smallest path first so the reported blocker is deterministic.
      for (const p of [...under].sort(comparePaths)) {
        const id = this.byPath.get(p)!;
        if (id !== selfId) return { path: p, id };
      }
    }
    return undefined;
  }
}

/** The first pair of paths in a list that are equal or overlap, in sorted order; undefined if none. */
export function findOverlap(paths: readonly string[]): [string, string] | undefined {
  const seen = new Set<string>();
  const sorted = [...paths].sort(comparePaths);
  for (const p of sorted) {
    if (seen.has(p)) return [p, p];
    seen.add(p);
  }
  for (const p of sorted) {
    for (const a of ancestors(p)) if (seen.has(a)) return [a, p];
  }
  return undefined;
}
