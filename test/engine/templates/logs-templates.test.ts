import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { logsTemplatesCommand } from '../../../src/cli/commands/logs-templates.ts';

const FIX = fileURLToPath(new URL('../../fixtures/templates/', import.meta.url));

async function runCmd(args: string[]): Promise<string> {
  let out = '';
  await logsTemplatesCommand((s) => (out += s)).parseAsync(args, { from: 'user' });
  return out;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('dream logs templates', () => {
  it('--json prints one line per input line, then the template table', async () => {
    const out = (await runCmd(['--json', `${FIX}app.log`])).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const perLine = out.filter((o) => 'line' in o);
    const table = out.filter((o) => 'count' in o);
    expect(out.slice(0, perLine.length)).toEqual(perLine);
    expect(perLine.map((o) => o.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(perLine[0]!)).toEqual(['file', 'line', 'template_id', 'template']);
    expect(perLine[1]).toEqual({
      file: `${FIX}app.log`,
      line: 2,
      template_id: perLine[3]!.template_id,
      template: '<TS> INFO [worker-<NUM>] app.Jobs: Job <NUM> finished with status <NUM>',
    });
    expect(table[0]).toEqual({ template_id: perLine[1]!.template_id, template: perLine[1]!.template, count: 3 });
    expect(table.reduce((n, t) => n + (t.count as number), 0)).toBe(7);
    // Every line names a template of the final table.
    const ids = new Set(table.map((t) => t.template_id));
    expect(perLine.every((o) => ids.has(o.template_id))).toBe(true);
  });

  it('reads gzip directly and numbers lines the grep -n way (lone \\r is content)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tpl-'));
    dirs.push(dir);
    const gz = join(dir, 'crlf.log.gz');
    await writeFile(gz, gzipSync(Buffer.from('line one 1\r\nline one 2\nprogress 10%\rprogress 100%\nline one 3')));
    const out = (await runCmd(['--json', gz])).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const perLine = out.filter((o) => 'line' in o);
    expect(perLine.map((o) => [o.line, o.template])).toEqual([
      [1, 'line one <NUM>'],
      [2, 'line one <NUM>'],
      [3, 'progress <NUM>% progress <NUM>%'],
      [4, 'line one <NUM>'],
    ]);
    const plain = await runCmd(['--json', `${FIX}app.log`]);
    expect(await runCmd(['--json', `${FIX}app-copy.log.gz`])).toBe(plain.replaceAll(`${FIX}app.log`, `${FIX}app-copy.log.gz`));
  });

  it('prints a table for people, most frequent first', async () => {
    const lines = (await runCmd([`${FIX}app.log`])).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^count\s+template_id\s+template$/);
    expect(lines[1]).toMatch(/^3\s+tpl_[0-9a-f]{12}\s+<TS> INFO \[worker-<NUM>\] app\.Jobs: Job <NUM>/);
    expect(lines).toHaveLength(5);
  });

  it('names a missing file', async () => {
    await expect(runCmd([`${FIX}nope.log`])).rejects.toThrow(/nope\.log: no such file/);
  });
});
