import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSessions } from '../../src/sessions/import.ts';
import { readEventsArray } from '../../src/sessions/store.ts';
import { PARTIAL_REASON } from '../../src/sessions/import-file.ts';
import { LONG_LINE_HEAD } from '../../src/sessions/long-lines.ts';
import { importOne, tempDir, tempRoot, texts } from './helpers.ts';

describe('ugly inputs at import', () => {
  it('cuts a 12 MB line to a head and a note in events, keeps line numbers, and warns', async () => {
    const dir = await tempDir();
    const file = join(dir, 'minified.log');
    const huge = 'x'.repeat(12 * 1024 * 1024);
    await writeFile(file, `before\n${huge}\nafter: error TS2304\nDone. Your build exited with 1.\n`);
    const { session, events } = await importOne(file);
    const all = events.map(texts).join('\n').split('\n');
    expect(all[0]).toBe('before');
    expect(all[1]).toBe(`${'x'.repeat(LONG_LINE_HEAD)} … [line truncated: 12,582,912 bytes]`);
    expect(all[2]).toBe('after: error TS2304');
    expect(session.line_count).toBe(4);
    expect(session.metadata.long_lines_cut).toBe('1');
    expect(session.warnings[0]).toEqual({
      line: 2,
      message: `line of 12582912 bytes cut to its first ${LONG_LINE_HEAD} characters in events (original kept)`,
    });
    expect(session.metadata.partial).toBeUndefined();
  });

  it('imports invalid UTF-8 at the very start with replacement characters and a warning', async () => {
    const dir = await tempDir();
    const file = join(dir, 'latin1-head.log');
    await writeFile(file, Buffer.concat([Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), Buffer.from('ok\n')]));
    const { session, events } = await importOne(file);
    expect(texts(events[0]!)).toBe('caf\uFFFD\nok');
    expect(session.warnings[0]).toMatchObject({ line: 1, message: expect.stringMatching(/invalid UTF-8/) });
  });

  it('marks a log that stops mid-line without a final status as partial', async () => {
    const dir = await tempDir();
    const cut = join(dir, 'cut.log');
    await writeFile(cut, '$ npm test\n> jest\nPASS src/a.test.js\nRUNS src/b.te');
    const whole = join(dir, 'whole.log');
    await writeFile(whole, '$ npm test\nFAIL src/b.test.js\nDone. Your build exited with 1.');
    const report = await importSessions(await tempRoot(), [cut, whole]);
    const [a, b] = report.imported;
    expect(a!.metadata.partial).toBe(PARTIAL_REASON);
    expect(report.warnings).toContainEqual({ path: cut, line: 4, message: `partial log: ${PARTIAL_REASON}` });
    expect(b!.metadata.partial).toBeUndefined();
  });

  it('gives the same report with a pool of import workers as on one thread', async () => {
    const dir = await tempDir();
    const files: string[] = [];
    for (let i = 0; i < 4; i++) {
      const f = join(dir, `run-${i}.log`);
      await writeFile(f, `step ${i}\nerror: thing ${i} failed\nDone. Your build exited with 1.\n`);
      files.push(f);
    }
    files.push(join(dir, 'missing.log'));
    const one = await importSessions(await tempRoot(), files);
    const root = await tempRoot();
    const two = await importSessions(root, files, { workers: 2 });
    const view = (r: typeof one) => ({
      imported: r.imported.map((s) => [s.id, s.source.path, s.line_count]),
      failed: r.failed,
    });
    expect(view(two)).toEqual(view(one));
    expect(two.imported).toHaveLength(4);
    const events = await readEventsArray(root, two.imported[2]!.id);
    expect(texts(events[0]!)).toContain('error: thing 2 failed');
  });
});
