/**
 * The Drain parse tree (He et al., ICWS 2017): lines are routed by token count, then by their
 * first `depth` tokens, to a leaf holding a few clusters; the line joins the most similar cluster
 * when the share of equal tokens reaches `similarity`, and the positions where it differs become
 * `<*>`. Routing is O(depth) and a leaf holds few clusters, so mining cost does not grow with the
 * number of templates.
 */

export const WILDCARD = '<*>';

export interface DrainConfig {
  /** Leading tokens used as tree levels below the token-count level. */
  depth: number;
  /** Minimum share of a cluster's constant tokens a line must equal to join it. */
  similarity: number;
  /** Children per tree node before new keys are routed to the `<*>` child. */
  maxChildren: number;
}

export interface Cluster {
  /** Creation order: stable, used to break ties and to order output. */
  readonly seq: number;
  tokens: string[];
  count: number;
  /** Bumped whenever `tokens` generalizes, so callers can cache the template text. */
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
function routeKey(token: string): string {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 60 /* < */) return WILDCARD;
  }
  return token;
}

export class DrainTree {
  private readonly byLength = new Map<number, TreeNode>();
  private readonly all: Cluster[] = [];

  constructor(private readonly config: DrainConfig) {}

  clusters(): readonly Cluster[] {
    return this.all;
  }

  /** Route `tokens` to its cluster, creating or generalizing one; returns the cluster. */
  add(tokens: readonly string[]): Cluster {
    const leaf = this.leafFor(tokens);
    const best = this.bestMatch(leaf.clusters, tokens);
    if (best) {
      best.count++;
      const t = best.tokens;
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== WILDCARD && t[i] !== tokens[i]) {
          t[i] = WILDCARD;
          best.version++;
        }
      }
      return best;
    }
    const cluster: Cluster = { seq: this.all.length, tokens: tokens.slice(), count: 1, version: 0 };
    leaf.clusters.push(cluster);
    this.all.push(cluster);
    return cluster;
  }

  private leafFor(tokens: readonly string[]): TreeNode {
    let node = this.byLength.get(tokens.length);
    if (!node) {
      node = newNode();
      this.byLength.set(tokens.length, node);
    }
    const levels = Math.min(this.config.depth, tokens.length);
    for (let d = 0; d < levels; d++) {
      const key = routeKey(tokens[d]!);
      let child = node.children.get(key);
      if (!child) {
        if (key !== WILDCARD && node.children.size >= this.config.maxChildren - 1) {
          child = node.children.get(WILDCARD);
          if (!child) node.children.set(WILDCARD, (child = newNode()));
        } else {
          node.children.set(key, (child = newNode()));
        }
      }
      node = child;
    }
    return node;
  }

  /** The cluster with the highest share of equal tokens (ties: more wildcards, then older). */
  private bestMatch(clusters: Cluster[], tokens: readonly string[]): Cluster | null {
    let best: Cluster | null = null;
    let bestSim = -1;
    let bestWild = -1;
    const n = tokens.length;
    for (const c of clusters) {
      let same = 0;
      let wild = 0;
      const t = c.tokens;
      for (let i = 0; i < n; i++) {
        const tok = t[i];
        if (tok === WILDCARD) wild++;
        else if (tok === tokens[i]) same++;
      }
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
