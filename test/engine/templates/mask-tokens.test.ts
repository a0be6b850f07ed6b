import { describe, expect, it } from 'vitest';
import { maskTokens } from '../../../src/engine/local/templates/mask-tokens.ts';

describe('maskTokens shapes', () => {
  it.each([
    ['11/56', '<NUM>/<NUM>'],
    ['(2/6),', '(<NUM>/<NUM>),'],
    ['3,106', '<NUM>,<NUM>'],
    ['100%', '<NUM>%'],
    ['#12', '#<NUM>'],
    ['3-5', '<NUM>-<NUM>'],
    ['1.-2', '<NUM>.<NUM>'],
    ['12:30', '<NUM>:<NUM>'],
    ['12:30:01', '<TS>'],
    ['2024/01/02', '<TS>'],
    ['1.2.3.4', '<IP>'],
    ['10.0.0.1:22', '<IP>'],
    ['1/2/3', '<NUM>/<NUM>/<NUM>'],
    ['[0m', '[<DUR>'],
    ['blk_-6952295868487656571', 'blk_<NUM>'],
    ['markdown-spellcheck@0.11.0', 'markdown-spellcheck@<NUM>'],
    ['/10.251.30.6:33145', '/<IP>'],
    ['x=1,/a/b', 'x=<NUM>,<PATH>'],
  ])('%s → %s', (token, want) => {
    expect(maskTokens(token)).toEqual([want]);
  });

  it('gives the same answer from its memo as from the rules', () => {
    const line = 'frames.add(throwables[i].toString()) took 6.152590431s at R02-M1-N0-C:J12-U11 travis_time:end:02847a70:start=1';
    const first = maskTokens(line).join(' ');
    for (let i = 0; i < 3; i++) expect(maskTokens(line).join(' ')).toBe(first);
  });

  it('reuses the output array it is given', () => {
    const out: string[] = ['stale'];
    expect(maskTokens('a 1', out)).toBe(out);
    expect(out).toEqual(['a', '<NUM>']);
  });
});
