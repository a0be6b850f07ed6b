/**
 * The experiment's only source of randomness: a seeded PRNG (mulberry32), so a seed fixes every
 * shuffle. Math.random is never used in a comparison.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given generator; the input is not modified. */
export function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The k-th shuffle (1-based) of an experiment: derived from the seed and k only, so every
 * strategy is run on the same permutations and adding strategies changes none of them.
 */
export function nthShuffle<T>(items: readonly T[], seed: number, k: number): T[] {
  return shuffle(items, prng((seed ^ Math.imul(k, 0x9e3779b1)) >>> 0));
}
