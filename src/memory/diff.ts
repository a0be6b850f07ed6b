import { createTwoFilesPatch } from 'diff';
import { comparePaths } from './paths.ts';
import type { StoreSnapshot } from './snapshot.ts';

export interface MemoryDiff {
  path: string;
  status: 'added' | 'removed' | 'changed';
  /** A unified diff of this one memory, git-style names (`a/…`, `b/…`, `/dev/null`). */
  unified: string;
}

/**
 * Per-memory unified diffs from store `a` to store `b`, sorted by path; unchanged memories are
 * left out. No timestamps in headers, so the same two stores always give the same text.
 */
export function diffStores(a: StoreSnapshot, b: StoreSnapshot, opts: { context?: number } = {}): MemoryDiff[] {
  const before = new Map(a.map((e) => [e.path, e.content]));
  const after = new Map(b.map((e) => [e.path, e.content]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(comparePaths);
  const out: MemoryDiff[] = [];
  for (const path of paths) {
    const old = before.get(path);
    const neu = after.get(path);
    if (old === neu) continue;
    const status = old === undefined ? 'added' : neu === undefined ? 'removed' : 'changed';
    const unified = createTwoFilesPatch(
      old === undefined ? '/dev/null' : `a${path}`,
      neu === undefined ? '/dev/null' : `b${path}`,
      old ?? '',
      neu ?? '',
      undefined,
      undefined,
      { context: opts.context ?? 3, headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true } },
    );
    out.push({ path, status, unified });
  }
  return out;
}
