import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/outcomes/rubric.ts';

const read = (p: string): Promise<string> => readFile(new URL(p, import.meta.url), 'utf8');

describe('parseRubric', () => {
  it('reads the shipped default rubric: six mechanical checks and two judgement criteria', async () => {
    const r = parseRubric(await read('../../rubrics/default.md'), 'rubrics/default.md');
    expect(r.criteria.map((c) => c.check)).toEqual(['evidence', 'duplicates', 'contradictions', 'secrets', 'limits', 'format', null, null]);
    expect(r.criteria[6]!.id).toBe('each-lesson-is-actionable-for-a-future-session');
  });

  it('uses top-level bullets when there are no ## sections, and maps by keyword', async () => {
    const r = parseRubric(await read('../fixtures/outcomes/bullets.md'), 'bullets.md');
    expect(r.criteria.map((c) => [c.title, c.check])).toEqual([
      ['Every memory cites evidence that contains its quote', 'evidence'],
      ['No duplicates', 'duplicates'],
      ['Lessons are written in plain English', null],
    ]);
    expect(r.criteria[1]!.text).toBe('(two memories about the same thing count as one too many)');
  });

  it('prefers an explicit marker over keywords, in a comment or on a line', () => {
    const r = parseRubric('## Paths are short\ncheck: secrets\n\n## Anything\n<!-- check: format -->\n', 'r.md');
    expect(r.criteria.map((c) => c.check)).toEqual(['secrets', 'format']);
  });

  it('refuses an empty rubric or an unknown check, naming the file', async () => {
    const empty = await read('../fixtures/outcomes/empty.md');
    expect(() => parseRubric(empty, 'empty.md')).toThrow(/empty\.md: the rubric has no criteria/);
    expect(() => parseRubric('', 'blank.md')).toThrow(/blank\.md/);
    expect(() => parseRubric('## A\n<!-- check: vibes -->', 'r.md')).toThrow(/r\.md:1: .*unknown check "vibes"/);
  });

  it('gives duplicate titles distinct ids', () => {
    const r = parseRubric('## Same\n## Same\n', 'r.md');
    expect(r.criteria.map((c) => c.id)).toEqual(['same', 'same-2']);
  });
});
