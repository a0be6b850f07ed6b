import { describe, expect, it } from 'vitest';
import { splitLines, stripAnsi, visibleText } from '../../src/core/lines.ts';

describe('line numbering (grep -n rules)', () => {
  it('splits on \\n only; \\r before \\n is line ending; a lone \\r is content', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b\rc', 'd']);
    expect(splitLines('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(splitLines('')).toEqual([]);
  });

  it('shows what a terminal shows', () => {
    expect(stripAnsi('\x1b[31mFAIL\x1b[0m x')).toBe('FAIL x');
    expect(visibleText('10%\r50%\r100% done')).toBe('100% done');
  });
});
