/**
 * The Drain parse tree (He et al., ICWS 2017): lines are routed by token count, then by their
 * first `depth` tokens, to a leaf holding a few clusters; the line joins the most similar cluster
 * when the share of equal tokens reaches `similarity`, and the positions where it differs become
 * `<*>`. Routing is O(depth) and a leaf holds few clusters, so mining cost does not grow with the
 * number of templates.
 *
 * One change from the paper: a line arrives split into header and message (header.ts). The
 * message's token count and the header's constant words route it; only message tokens are
 * compared, so a long shared header cannot make two different messages look alike.
 */

export const WILDCARD = '<*>';

export interface DrainConfig {
  /** Leading message tokens used as tree levels below the token-count and header levels. */
  depth: number;
  /** Minimum share of a cluster's message tokens a line must equal to join it. */
  similarity: number;
  /** Children per tree node before new keys are routed to the `<*>` child. */
  maxChildren: number;
}

export interface Cluster {
  /** Creation order: stable, used to break ties and to order output. */
  readonly seq: number;
  head: string[];
  tokens: string[];
  count: number;
  /** Bumped whenever the template generalizes, so callers can cache its text. */
  version: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

function newNode(): TreeNode {
  return { children: new Map(), clusters: [] };
}

/** Variable-looking tokens (a digit, a placeholder) never become tree keys: they would fan out. */
function isVariable(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 60 /* < */) return true;
  }
  return false;
}

/** `<HEX>` and `<NUM>` are both variables: the same statement prints `0x00106570` and `00106570`. */
function isPlaceholder(token: string): boolean {
  return token.charCodeAt(0) === 60 && token.length > 2 && token.charCodeAt(token.length - 1) === 62;
}

function child(node: TreeNode, key: string, maxChildren: number): TreeNode {
  let next = node.children.get(key);
  if (next) return next;
  if (key !== WILDCARD && node.children.size >= maxChildren - 1) return child(node, WILDCARD, maxChildren);
  next = newNode();
  node.children.set(key, next);
  return next;
}

export class DrainTree {
  private readonly root = newNode();
  private readonly all: Cluster[] = [];

  constructor(private readonly config: DrainConfig) {}

  clusters(): readonly Cluster[] {
    return this.all;
  }

  /**
   * Route a line (masked `tokens`, message from `start`, header constant words `headKey`) to its
   * cluster, creating or generalizing one; returns the cluster.
   */
  add(tokens: readonly string[], start: number, headKey: string): Cluster {
    const leaf = this.leafFor(tokens, start, headKey);
    const n = tokens.length - start;
    const best = this.bestMatch(leaf.clusters, tokens, start);
    if (!best) {
      const cluster: Cluster = { seq: this.all.length, head: tokens.slice(0, start), tokens: tokens.slice(start), count: 1, version: 0 };
      leaf.clusters.push(cluster);
      this.all.push(cluster);
      return cluster;
    }
    best.count++;
    const t = best.tokens;
    for (let i = 0; i < n; i++) {
      if (t[i] !== WILDCARD && t[i] !== tokens[start + i]) {
        t[i] = WILDCARD;
        best.version++;
      }
    }
    const h = best.head;
    if (h.length !== start) {
      // Headers of different lengths (a thread name of one or three words): one wildcard.
      if (h.length !== 1 || h[0] !== WILDCARD) {
        best.head = [WILDCARD];
        best.version++;
      }
    } else {
      for (let i = 0; i < start; i++) {
        if (h[i] !== WILDCARD && h[i] !== tokens[i]) {
          h[i] = WILDCARD;
          best.version++;
        }
      }
    }
    return best;
  }

  private leafFor(tokens: readonly string[], start: number, headKey: string): TreeNode {
    const max = this.config.maxChildren;
    let node = child(this.root, String(tokens.length - start), Infinity);
    node = child(node, headKey, Infinity);
    // Variable tokens are skipped rather than keyed as `<*>`, so they cannot use up the levels.
    let levels = 0;
    for (let d = start; d < tokens.length && levels < this.config.depth; d++) {
      const tok = tokens[d]!;
      if (isVariable(tok)) continue;
      levels++;
      node = child(node, tok, max);
    }
    return node;
  }

  /** The cluster with the highest share of equal message tokens (ties: more wildcards, then older). */
  private bestMatch(clusters: Cluster[], tokens: readonly string[], start: number): Cluster | null {
    let best: Cluster | null = null;
    let bestSim = -1;
    let bestWild = -1;
    const n = tokens.length - start;
    // A cluster is dropped as soon as it has more mismatches than the threshold allows: most
    // clusters in a busy leaf differ in their first few tokens, so a scan costs little.
    const allowed = n - Math.ceil(this.config.similarity * n - 1e-9);
    for (const c of clusters) {
      let same = 0;
      let wild = 0;
      let misses = 0;
      const t = c.tokens;
      for (let i = 0; i < n && misses <= allowed; i++) {
        const tok = t[i]!;
        const mine = tokens[start + i]!;
        if (tok === WILDCARD) {
          wild++;
          // A masked variable in a position already known to vary is agreement, not noise.
          if (isPlaceholder(mine)) same++;
          else misses++;
        } else if (tok === mine || (isPlaceholder(tok) && isPlaceholder(mine))) same++;
        else misses++;
      }
      if (misses > allowed) continue;
      const sim = n === 0 ? 1 : same / n;
      if (sim > bestSim || (sim === bestSim && wild > bestWild)) {
        best = c;
        bestSim = sim;
        bestWild = wild;
      }
    }
    return best && bestSim >= this.config.similarity ? best : null;
  }
}
