import { maskTokens } from './mask-tokens.ts';
import { DrainTree, type Cluster, type DrainConfig } from './drain-tree.ts';
import { detach } from './detach.ts';
import { splitHeader } from './header.ts';
import { templateId } from './template-id.ts';

/**
 * A streaming log template miner: every line is masked (one general mask set, see
 * mask-tokens.ts) and routed through a Drain tree. One configuration for every kind of log: no
 * per-system regexes or thresholds, because the engine meets logs nobody tuned it for.
 */

export interface MinedTemplate {
  id: string;
  template: string;
  count: number;
}

export interface TemplateMinerOptions extends Partial<DrainConfig> {
  /** Distinct raw lines remembered to skip masking a line seen before (0 turns it off). */
  cacheSize?: number;
}

export const DEFAULT_DRAIN: Readonly<DrainConfig> = Object.freeze({ depth: 2, similarity: 0.7, maxChildren: 100 });
const DEFAULT_CACHE = 1 << 16;
/**
 * Raw-line cache keys are kept as the reader cut them: copying each one off its chunk
 * (detach.ts) costs more than the cache saves. So a key pins the decoded chunk it came from, and
 * the cache is also dropped after this many characters of input, which bounds what it can pin to
 * about that much text (plus one chunk) however rarely a repetitive log adds a new line.
 */
const PIN_BUDGET = 1 << 24;

export class TemplateMiner {
  private readonly tree: DrainTree;
  private readonly cacheSize: number;
  private cache = new Map<string, Cluster>();
  private charsSinceDrop = 0;
  private maskedCache = new Map<string, Cluster>();
  private readonly scratch: string[] = [];
  private readonly texts = new Map<Cluster, { version: number; text: string; id: string }>();
  lines = 0;

  constructor(opts: TemplateMinerOptions = {}) {
    this.tree = new DrainTree({
      depth: opts.depth ?? DEFAULT_DRAIN.depth,
      similarity: opts.similarity ?? DEFAULT_DRAIN.similarity,
      maxChildren: opts.maxChildren ?? DEFAULT_DRAIN.maxChildren,
    });
    this.cacheSize = opts.cacheSize ?? DEFAULT_CACHE;
  }

  /** Mine one line; returns its cluster, whose template may still generalize with later lines. */
  addLine(line: string): Cluster {
    this.lines++;
    this.charsSinceDrop += line.length;
    const hit = this.cacheSize > 0 ? this.cache.get(line) : undefined;
    if (hit) {
      hit.count++;
      return hit;
    }
    const tokens = maskTokens(line, this.scratch);
    if (this.cacheSize === 0) return this.route(tokens);
    // Lines that differ only in variables mask to the same tokens: the cluster that took the
    // first one already covers the others, so the tree scan is skipped.
    const masked = tokens.join(' ');
    let cluster = this.maskedCache.get(masked);
    if (cluster) cluster.count++;
    else {
      cluster = this.route(tokens);
      if (this.maskedCache.size >= this.cacheSize) this.maskedCache = new Map();
      this.maskedCache.set(detach(masked), cluster);
    }
    // A full cache is dropped whole: cheaper than LRU bookkeeping, and logs repeat in bursts.
    if (this.cache.size >= this.cacheSize || this.charsSinceDrop > PIN_BUDGET) {
      this.cache = new Map();
      this.charsSinceDrop = 0;
    }
    this.cache.set(line, cluster);
    return cluster;
  }

  private route(tokens: string[]): Cluster {
    const header = splitHeader(tokens);
    return this.tree.add(tokens, header.start, header.key);
  }

  /** Mine one line; returns the template it belongs to now. */
  add(line: string): { id: string; template: string } {
    const { id, text } = this.describe(this.addLine(line));
    return { id, template: text };
  }

  /** The cluster numbered `seq` (creation order), as recorded by mine-files.ts. */
  cluster(seq: number): Cluster {
    const c = this.tree.clusters()[seq];
    if (!c) throw new RangeError(`no cluster ${seq}`);
    return c;
  }

  /** The current template text and id of a cluster. */
  describe(cluster: Cluster): { id: string; text: string } {
    let memo = this.texts.get(cluster);
    if (!memo || memo.version !== cluster.version) {
      const text = cluster.head.length === 0 ? cluster.tokens.join(' ') : `${cluster.head.join(' ')} ${cluster.tokens.join(' ')}`;
      memo = { version: cluster.version, text, id: templateId(text) };
      this.texts.set(cluster, memo);
    }
    return memo;
  }

  /**
   * Every template with its line count, most frequent first (ties by template text, so the
   * order is deterministic). Clusters that ended with the same text are one template.
   */
  templates(): MinedTemplate[] {
    const byId = new Map<string, MinedTemplate>();
    for (const c of this.tree.clusters()) {
      const { id, text } = this.describe(c);
      const t = byId.get(id);
      if (t) t.count += c.count;
      else byId.set(id, { id, template: text, count: c.count });
    }
    return [...byId.values()].sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  }
}

/** Mine a list of lines at once: each line's final template, and the template table. */
export function mineLines(
  lines: readonly string[],
  opts: TemplateMinerOptions = {},
): { lines: { id: string; template: string }[]; templates: MinedTemplate[] } {
  const miner = new TemplateMiner(opts);
  const clusters = lines.map((l) => miner.addLine(l));
  return {
    lines: clusters.map((c) => {
      const { id, text } = miner.describe(c);
      return { id, template: text };
    }),
    templates: miner.templates(),
  };
}
