import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../../src/core/lines.ts';
import { KnownTemplates, novelLines } from '../../../src/engine/local/failure/known.ts';
import { failureRanges } from '../../../src/engine/local/failure/ranges.ts';
import { isBanner, StepTail } from '../../../src/engine/local/failure/tail.ts';

const DIR = fileURLToPath(new URL('../../fixtures/failure/', import.meta.url));
const lines = (name: string): string[] => splitLines(readFileSync(`${DIR}${name}`, 'utf8'));

describe('range extent', () => {
  it('explains a step that fails without a failure word by the output above its epilogue', () => {
    const [top] = failureRanges(lines('silent-lint.log'));
    // The linter's two lines, not the npm ERR! epilogue under them.
    expect(top).toMatchObject({ start: 6, end: 7 });
  });

  it('takes the whole last section after a banner, and the exit line right under it', () => {
    const [top] = failureRanges(lines('format-diff.log'));
    expect(top).toMatchObject({ start: 9, end: 18 });
    expect(top!.signature).toMatch(/^diff --git/);
  });

  it('keeps the rest of a paragraph, and a list announced by a line ending in ":"', () => {
    const ranges = failureRanges(lines('paragraphs.log'));
    const size = ranges.find((r) => /Package size limit/.test(r.signature));
    expect(size).toMatchObject({ start: 15, end: 18 });
    const offenses = ranges.find((r) => /Offenses/.test(r.signature));
    expect(offenses).toMatchObject({ start: 5, end: 10 });
  });
});

describe('StepTail', () => {
  it('gives the last paragraph above the floor, and only the last line of a long stream', () => {
    const tail = new StepTail();
    for (let l = 1; l <= 30; l++) tail.content(l, `task ${l} done`, `task ${l} done`);
    tail.gap();
    expect(tail.range(0)).toMatchObject({ start: 30, end: 30 });
    expect(tail.range(30)).toBeNull();
    tail.reset();
    tail.content(40, 'a', 'a');
    tail.content(41, 'b', 'b');
    expect(tail.range(0)).toMatchObject({ start: 40, end: 41, line: 41 });
  });

  it('knows a banner from a short rule', () => {
    expect(isBanner('==========')).toBe(true);
    expect(isBanner('  ----------------------  ')).toBe(true);
    expect(isBanner('---')).toBe(false);
    expect(isBanner('==== FAILURES ====')).toBe(false);
  });
});

describe('novelLines', () => {
  it('counts a blank line only between two novel lines', () => {
    const fail = ['ok', 'Traceback (most recent call last):', '  File "a.py", line 3', 'NameError: x', '', 'During handling, another exception occurred:', '', 'ok'];
    const known = KnownTemplates.of([['ok']]);
    const out = novelLines(fail, known, [{ start: 2, end: 6 }]);
    expect([...out].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6]);
  });
});
