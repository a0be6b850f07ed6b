/**
 * The Drain parse tree (He et al., ICWS 2017): lines are routed by token count, then by their
 * first `depth` tokens, to a leaf holding a few clusters; the line joins the most similar cluster
 * when the share of equal tokens reaches `similarity`, and the positions where it differs become
 * `<*>`. Routing is O(depth); the scan of a leaf is not free (leaves past `maxChildren` collect
 * thousands of clusters in CI logs), so it compares integer token ids with an early exit, and
 * leaves of short lines, where no mismatch is allowed, are a hash lookup instead of a scan.
 *
 * One change from the paper: a line arrives split into header and message (header.ts). The
 * message's token count and the header's constant words route it; only message tokens are
 * compared, so a long shared header cannot make two different messages look alike.
 */

import { detach } from './detach.ts';
import { isPlaceholder, TokenIds, UNKNOWN, WILDCARD, WILDCARD_ID } from './token-ids.ts';

export { WILDCARD };

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
  /** `tokens` as ids (token-ids.ts), kept in step with it, for the similarity scan. */
  ids: Int32Array;
  count: number;
  /** Bumped whenever the template generalizes, so callers can cache its text. */
  version: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
  /** Leaves whose lines may differ in no token: clusters by `exactKey`, oldest first. */
  exact: Map<string, Cluster[]> | null;
}

function newNode(): TreeNode {
  return { children: new Map(), clusters: [], exact: null };
}

/** Variable-looking tokens (a digit, a placeholder) never become tree keys: they would fan out. */
function isVariable(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 60 /* < */) return true;
  }
  return false;
}

/** Tokens kept by a new cluster, copied off the line they were cut from (detach.ts). */
function detachAll(tokens: readonly string[], from: number, to: number): string[] {
  const out = new Array<string>(to - from);
  for (let i = from; i < to; i++) out[i - from] = detach(tokens[i]!);
  return out;
}

function child(node: TreeNode, key: string, maxChildren: number): TreeNode {
  let next = node.children.get(key);
  if (next) return next;
  if (key !== WILDCARD && node.children.size >= maxChildren - 1) return child(node, WILDCARD, maxChildren);
  next = newNode();
  node.children.set(detach(key), next);
  return next;
}

export class DrainTree {
  private readonly root = newNode();
  private readonly all: Cluster[] = [];
  private readonly table = new TokenIds();
  /** The routed line's message token ids and placeholder flags (scratch, reused). */
  private lineIds = new Int32Array(64);
  private linePh = new Uint8Array(64);

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
    const unknown = this.lookUp(tokens, start);
    // Leaves hold lines of one length, so the number of mismatches a match may have is the
    // leaf's: with none allowed (short lines), a hash lookup replaces the scan.
    const allowed = n - Math.ceil(this.config.similarity * n - 1e-9);
    const key = allowed === 0 ? this.exactKey(n) : '';
    // A token no template holds (and not a placeholder) is a mismatch against every cluster.
    const best = unknown > allowed ? null : allowed === 0 ? this.exactMatch(leaf, key, n) : this.bestMatch(leaf.clusters, n, allowed);
    if (!best) {
      const message = detachAll(tokens, start, tokens.length);
      const ids = new Int32Array(n);
      for (let i = 0; i < n; i++) ids[i] = this.table.intern(message[i]!);
      const cluster: Cluster = { seq: this.all.length, head: detachAll(tokens, 0, start), tokens: message, ids, count: 1, version: 0 };
      leaf.clusters.push(cluster);
      if (allowed === 0) {
        leaf.exact ??= new Map();
        // Keyed by the new cluster's own ids: the line's new tokens had none when `key` was made.
        const own = this.clusterKey(ids);
        const bucket = leaf.exact.get(own);
        if (bucket) bucket.push(cluster);
        else leaf.exact.set(own, [cluster]);
      }
      this.all.push(cluster);
      return cluster;
    }
    best.count++;
    const t = best.tokens;
    const tid = best.ids;
    const line = this.lineIds;
    for (let i = 0; i < n; i++) {
      if (tid[i] !== WILDCARD_ID && tid[i] !== line[i]) {
        tid[i] = WILDCARD_ID;
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

  /**
   * Fill `lineIds`/`linePh` for the message tokens of the line being routed; returns how many
   * of them are neither in a template nor a placeholder.
   */
  private lookUp(tokens: readonly string[], start: number): number {
    const n = tokens.length - start;
    if (this.lineIds.length < n) {
      this.lineIds = new Int32Array(n * 2);
      this.linePh = new Uint8Array(n * 2);
    }
    const ph = this.table.placeholder;
    let unknown = 0;
    for (let i = 0; i < n; i++) {
      const tok = tokens[start + i]!;
      const id = this.table.find(tok);
      this.lineIds[i] = id;
      if (id !== UNKNOWN) this.linePh[i] = ph[id]!;
      else if (isPlaceholder(tok)) this.linePh[i] = 1;
      else {
        this.linePh[i] = 0;
        unknown++;
      }
    }
    return unknown;
  }

  /**
   * With no mismatch allowed, a line matches a cluster exactly when, position by position,
   * both hold a variable (a wildcard or a placeholder) or both the same constant token. The
   * key spells that out; a cluster's key never changes, since it only generalizes where both
   * held placeholders.
   */
  private exactKey(n: number): string {
    let key = '';
    for (let i = 0; i < n; i++) key += this.linePh[i] ? '*,' : `${this.lineIds[i]},`;
    return key;
  }

  private clusterKey(ids: Int32Array): string {
    const ph = this.table.placeholder;
    let key = '';
    for (let i = 0; i < ids.length; i++) key += ph[ids[i]!] ? '*,' : `${ids[i]},`;
    return key;
  }

  /** `bestMatch` for leaves that allow no mismatch: every candidate is equally similar. */
  private exactMatch(leaf: TreeNode, key: string, n: number): Cluster | null {
    const bucket = leaf.exact?.get(key);
    if (!bucket) return null;
    let best: Cluster | null = null;
    let bestWild = -1;
    for (const c of bucket) {
      let wild = 0;
      for (let i = 0; i < n; i++) if (c.ids[i] === WILDCARD_ID) wild++;
      if (wild > bestWild) {
        best = c;
        bestWild = wild;
      }
    }
    return best;
  }

  /**
   * The cluster with the highest share of equal message tokens (ties: more wildcards, then
   * older), comparing token ids. `<HEX>` and `<NUM>` are both variables (the same statement
   * prints `0x00106570` and `00106570`), so two placeholders count as equal.
   */
  private bestMatch(clusters: Cluster[], n: number, allowed: number): Cluster | null {
    let best: Cluster | null = null;
    let bestSim = -1;
    let bestWild = -1;
    const line = this.lineIds;
    const linePh = this.linePh;
    const ph = this.table.placeholder;
    // A cluster is dropped as soon as it has more mismatches than the threshold allows: most
    // clusters in a busy leaf differ in their first few tokens, so a scan costs little.
    for (const c of clusters) {
      let same = 0;
      let wild = 0;
      let misses = 0;
      const t = c.ids;
      for (let i = 0; i < n && misses <= allowed; i++) {
        const tok = t[i]!;
        if (tok === WILDCARD_ID) {
          wild++;
          // A masked variable in a position already known to vary is agreement, not noise.
          if (linePh[i]) same++;
          else misses++;
        } else if (tok === line[i] || (ph[tok] && linePh[i])) same++;
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
