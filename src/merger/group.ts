import { cmpStr } from './canonical.ts';
import type { Node } from './nodes.ts';
import { jaccard, NEAR_DUPLICATE_JACCARD, titleTokens, valueMatters } from './similar.ts';

/**
 * Partition nodes into memories: same kind + a shared key, or near-identical titles (same kind,
 * and for facts/preferences the same value). The partition is the connected components of a
 * graph defined by content alone, so it cannot depend on the order nodes arrive in.
 */
export function groupNodes(nodes: readonly Node[]): number[][] {
  const parent = nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  const byKey = new Map<string, number>();
  const bySignature = new Map<string, { bucket: string; tokens: string[]; node: number }>();
  nodes.forEach((n, i) => {
    for (const key of n.keys) {
      const k = `${n.kind}\0${key}`;
      const prev = byKey.get(k);
      if (prev === undefined) byKey.set(k, i);
      else union(prev, i);
    }
    const tokens = titleTokens(n.title);
    if (tokens.length === 0) return;
    const bucket = `${n.kind}\0${valueMatters(n.kind) ? (n.value ?? '\u0000null') : ''}`;
    const sig = `${bucket}\0${tokens.join(' ')}`;
    const prev = bySignature.get(sig);
    if (prev === undefined) bySignature.set(sig, { bucket, tokens, node: i });
    else union(prev.node, i);
  });

  // Pairwise Jaccard only among distinct title signatures of one bucket, pruned by size:
  // J(A,B) >= t needs |A| >= t·|B| when |A| <= |B|.
  const buckets = new Map<string, { tokens: string[]; node: number }[]>();
  for (const s of bySignature.values()) {
    const list = buckets.get(s.bucket);
    if (list) list.push(s);
    else buckets.set(s.bucket, [s]);
  }
  for (const list of buckets.values()) {
    list.sort((a, b) => a.tokens.length - b.tokens.length || cmpStr(a.tokens.join(' '), b.tokens.join(' ')));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (list[i]!.tokens.length < NEAR_DUPLICATE_JACCARD * list[j]!.tokens.length) break;
        if (jaccard(list[i]!.tokens, list[j]!.tokens) >= NEAR_DUPLICATE_JACCARD) union(list[i]!.node, list[j]!.node);
      }
    }
  }

  const groups = new Map<number, number[]>();
  nodes.forEach((_, i) => {
    const r = find(i);
    const list = groups.get(r);
    if (list) list.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()];
}
