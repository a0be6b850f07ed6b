/**
 * MinHash sketches: a fixed-size summary of a set whose agreement rate estimates the Jaccard
 * similarity of two sets. Hash functions are derived from fixed constants, so sketches (and
 * the plans built from them) are the same on every run and machine.
 */
export const SKETCH_SIZE = 64;

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mix a base hash with the i-th seed (murmur3's finalizer): k independent-looking hashes. */
function mix(h: number, i: number): number {
  let x = (h ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function sketch(set: Iterable<string>, size = SKETCH_SIZE): Uint32Array {
  const mins = new Uint32Array(size).fill(0xffffffff);
  for (const item of set) {
    const h = fnv1a(item);
    for (let i = 0; i < size; i++) {
      const v = mix(h, i);
      if (v < mins[i]!) mins[i] = v;
    }
  }
  return mins;
}

/** Estimated Jaccard similarity; two empty sets count as unrelated (0), not identical. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  let empty = true;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== 0xffffffff || b[i] !== 0xffffffff) empty = false;
    if (a[i] === b[i]) same++;
  }
  return empty ? 0 : same / a.length;
}
