import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsFailureCommand } from '../../../src/cli/commands/logs-failure.ts';

const DIR = fileURLToPath(new URL('../../fixtures/failure/', import.meta.url));

/** Run `dream logs failure …` in this process through commander, capturing stdout. */
async function run(args: string[]): Promise<string> {
  const program = new Command('dream').option('--json').exitOverride();
  program.addCommand(new Command('logs').addCommand(logsFailureCommand()));
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'dream', 'logs', 'failure', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dream-logs-failure-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('dream logs failure', () => {
  it('prints exactly {"ranges":[{start,end,score,signature}]} with --json, best first', async () => {
    const out = JSON.parse(await run([`${DIR}compiler.log`, '--json'])) as { ranges: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['ranges']);
    expect(out.ranges.length).toBeGreaterThan(0);
    for (const r of out.ranges) {
      expect(Object.keys(r)).toEqual(['start', 'end', 'score', 'signature']);
      expect(r.start as number).toBeGreaterThanOrEqual(1);
      expect(r.end as number).toBeGreaterThanOrEqual(r.start as number);
    }
    const scores = out.ranges.map((r) => r.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(out.ranges[0]!.signature).toMatch(/error: unknown type name/);
  });

  it('reads .gz directly and numbers lines like grep -n (CRLF and lone \\r)', async () => {
    const text = '$ make\r\nbuilding 10%\rbuilding 100%\r\nmain.c:3:1: error: expected ;\r\nThe command "make" exited with 2.\r\n';
    const gz = join(tmp, 'build.log.gz');
    await writeFile(gz, gzipSync(text));
    const out = JSON.parse(await run([gz, '--json'])) as { ranges: { start: number; end: number }[] };
    expect(out.ranges[0]!.start).toBeLessThanOrEqual(3);
    expect(out.ranges[0]!.end).toBeGreaterThanOrEqual(3);
  });

  it('discounts what passing runs also print (--pass)', async () => {
    const out = JSON.parse(await run([`${DIR}fail.log`, '--pass', `${DIR}pass.log`, '--json'])) as { ranges: { signature: string }[] };
    expect(out.ranges[0]!.signature).toMatch(/test_upload \.\.\. FAILED/);
  });

  it('prints the ranked ranges with their lines for people', async () => {
    const out = await run([`${DIR}stack-trace.log`]);
    expect(out).toMatch(/^#1 {2}lines \d+-\d+ {2}score [\d.]+ {2}Exception in thread/);
    expect(out).toContain('Caused by: java.io.FileNotFoundException: app.yml');
    const lines = (await readFile(`${DIR}stack-trace.log`, 'utf8')).split('\n');
    expect(out).toContain(`      3 | ${lines[2]}`);
  });

  it('names a missing file', async () => {
    await expect(run([join(tmp, 'nope.log'), '--json'])).rejects.toThrow(/nope\.log/);
  });
});
