import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffRuns, TemplateCache } from '../../src/engine/local/run-diff.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { tempDir, tempRoot } from '../sessions/helpers.ts';

/**
 * Runs of one job share most of their lines, and a line often repeats within a run: the passing
 * run's templates are cached across pairs and each failing run streams past them, which must
 * never show in what it reports.
 */
const FAIL = [
  '$ npm ci',
  'Downloading packages 12 of 40',
  'Downloading packages 13 of 40',
  '-----',
  'npm ERR! code ERESOLVE',
  'npm ERR! code ERESOLVE',
  'Downloading packages 14 of 40',
  'Build took 12.5s',
].join('\n');
const PASS = [
  '$ npm ci',
  'Downloading packages 1 of 40',
  'added 815 packages in 9s',
  '-----',
  'Build took 3.1s',
  'added 815 packages in 9s',
].join('\n');
const OTHER_FAIL = ['$ npm ci', 'Downloading packages 2 of 40', 'npm ERR! network timeout', 'Build took 40s'].join('\n');

async function importRuns(): Promise<{ root: Awaited<ReturnType<typeof tempRoot>>; ids: Record<string, string> }> {
  const dir = await tempDir();
  const files = { fail: FAIL, pass: PASS, other: OTHER_FAIL };
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, `${name}.log`), `${text}\n`);
  const root = await tempRoot();
  const report = await importSessions(root, Object.keys(files).map((n) => join(dir, `${n}.log`)));
  expect(report.failed).toEqual([]);
  const ids = Object.fromEntries(report.imported.map((s) => [s.source.path.split('/').pop()!.replace('.log', ''), s.id]));
  return { root, ids };
}

describe('diffRuns', () => {
  it('reports templates only one run shows, each cited at the first line that shows it', async () => {
    const { root, ids } = await importRuns();
    const diff = await diffRuns(new TemplateCache(root, 2), ids.fail!, ids.pass!);
    expect(diff.onlyInFail.map((d) => [d.template, d.evidence.lines, d.evidence.quote])).toEqual([
      ['npm ERR! code ERESOLVE', [5, 5], 'npm ERR! code ERESOLVE'],
    ]);
    // Numbers are masked: "Downloading packages 12 of 40" is the passing run's line 2 too.
    expect(diff.onlyInPass.map((d) => [d.template, d.evidence.lines, d.evidence.quote, d.evidence.session_id])).toEqual([
      ['added <NUM> packages in <DUR>', [3, 3], 'added 815 packages in 9s', ids.pass],
    ]);
  });

  it('gives the same diffs from one cache reused across pairs as from a fresh cache per pair', async () => {
    const { root, ids } = await importRuns();
    const shared = new TemplateCache(root, 2);
    const pairs: [string, string][] = [
      [ids.fail!, ids.pass!],
      [ids.other!, ids.pass!],
      [ids.fail!, ids.other!],
      [ids.pass!, ids.fail!],
    ];
    for (const [a, b] of pairs) {
      expect(await diffRuns(shared, a, b)).toEqual(await diffRuns(new TemplateCache(root, 2), a, b));
    }
    const other = await diffRuns(shared, ids.other!, ids.pass!);
    expect(other.onlyInFail.map((d) => d.template)).toEqual(['npm ERR! network timeout']);
  });
});
