import type {
  BetaManagedAgentsMemoryListItem,
  BetaManagedAgentsMemoryPrefix,
} from '@anthropic-ai/sdk/resources/beta/memory-stores/memories';
import { InvalidInputError } from '../core/errors.ts';
import { comparePaths, validatePathPrefix } from './paths.ts';
import type { MemoryRecord } from './schema.ts';
import { memoryView, parseView } from './views.ts';

export interface ListMemoriesParams {
  /** Only memories below this folder; must end with `/` (whole-segment match). Default `/`. */
  path_prefix?: string;
  /** 0 (default): every memory below the prefix. n ≥ 1: memories at most n segments below;
   *  deeper ones are rolled up into `memory_prefix` items ending in `/`. */
  depth?: number;
  view?: 'basic' | 'full';
}

/**
 * The API's List Memories over a set of live memories, as one array sorted by path (a prefix
 * `/a/` and a memory `/a.md` sort by code unit, as the strings compare).
 */
export function listMemoryItems(memories: readonly MemoryRecord[], params: ListMemoriesParams = {}): BetaManagedAgentsMemoryListItem[] {
  const prefix = params.path_prefix === undefined ? '/' : validatePathPrefix(params.path_prefix);
  const depth = params.depth ?? 0;
  if (!Number.isInteger(depth) || depth < 0) {
    throw new InvalidInputError('invalid_depth', `depth: ${JSON.stringify(params.depth)} must be a non-negative integer`, { field: 'depth' });
  }
  const view = parseView(params.view, 'basic');
  const items: BetaManagedAgentsMemoryListItem[] = [];
  const prefixes = new Set<string>();
  for (const m of memories) {
    if (!m.path.startsWith(prefix)) continue;
    const rel = m.path.slice(prefix.length).split('/');
    if (depth > 0 && rel.length > depth) {
      const folder = `${prefix}${rel.slice(0, depth).join('/')}/`;
      if (!prefixes.has(folder)) {
        prefixes.add(folder);
        items.push({ type: 'memory_prefix', path: folder } satisfies BetaManagedAgentsMemoryPrefix);
      }
    } else {
      items.push(memoryView(m, view));
    }
  }
  return items.sort((a, b) => comparePaths(a.path, b.path));
}
