import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

describe('docs/errors.md', () => {
  it('documents every error code raised in src/', async () => {
    const docs = await readFile(join(REPO, 'docs/errors.md'), 'utf8');
    const codes = new Set<string>();
    for (const file of await fg('src/**/*.ts', { cwd: REPO })) {
      const text = await readFile(join(REPO, file), 'utf8');
      for (const m of text.matchAll(/(?:new (?:InvalidInput|Conflict|Permission|TooLarge|Authentication|Dreamwork)Error\(|super\()\s*'([a-z_]+)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes].filter((c) => !docs.includes(`\`${c}\``)).sort();
    expect(missing).toEqual([]);
  });
});
