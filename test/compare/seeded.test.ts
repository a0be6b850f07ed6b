import { describe, expect, it } from 'vitest';
import { nthShuffle, prng, shuffle } from '../../src/compare/seeded.ts';

describe('seeded shuffles', () => {
  const items = Array.from({ length: 20 }, (_, i) => i);

  it('the same seed and k give the same permutation; another seed or k another one', () => {
    expect(nthShuffle(items, 7, 1)).toEqual(nthShuffle(items, 7, 1));
    expect(nthShuffle(items, 7, 1)).not.toEqual(nthShuffle(items, 7, 2));
    expect(nthShuffle(items, 8, 1)).not.toEqual(nthShuffle(items, 7, 1));
    expect([...nthShuffle(items, 7, 1)].sort((a, b) => a - b)).toEqual(items);
  });

  it('is a fixed sequence (a change here would change every published experiment)', () => {
    expect(shuffle([1, 2, 3, 4, 5], prng(1))).toMatchInlineSnapshot(`
      [
        5,
        3,
        2,
        1,
        4,
      ]
    `);
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
