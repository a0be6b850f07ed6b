import type { FindingKind } from '../engine/findings.ts';

/** Titles at or above this token Jaccard similarity are the same lesson worded twice. */
export const NEAR_DUPLICATE_JACCARD = 0.85;

/** Lower-cased word tokens of a title, deduplicated and sorted (NFKC so look-alikes agree). */
export function titleTokens(title: string): string[] {
  const words = title.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return [...new Set(words)].sort();
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  const setB = new Set(b);
  let inter = 0;
  for (const t of a) if (setB.has(t)) inter++;
  return inter / (a.length + b.length - inter);
}

/**
 * Whether two memories are near-duplicates. Facts and preferences additionally need the same
 * value: two similar-sounding facts with different values are different facts, and a
 * contradiction is never inferred from mere similarity.
 */
export function nearDuplicate(
  a: { kind: FindingKind; title: string; value: string | null },
  b: { kind: FindingKind; title: string; value: string | null },
): boolean {
  if (a.kind !== b.kind) return false;
  if (valueMatters(a.kind) && a.value !== b.value) return false;
  const ta = titleTokens(a.title);
  const tb = titleTokens(b.title);
  if (ta.length === 0 || tb.length === 0) return false;
  return jaccard(ta, tb) >= NEAR_DUPLICATE_JACCARD;
}

export function valueMatters(kind: FindingKind): boolean {
  return kind === 'fact' || kind === 'preference';
}
