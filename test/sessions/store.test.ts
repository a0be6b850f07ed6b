import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/core/lines.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { getSession, listSessions, readEvents, readOriginalLines } from '../../src/sessions/store.ts';
import { fixture, tempDir, tempRoot } from './helpers.ts';

describe('session store', () => {
  it('lists sessions sorted by id, skipping folders without a valid session.json', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [
      fixture('maven.log'),
      fixture('messages.json'),
      fixture('build.log'),
    ]);
    await mkdir(join(root.sessionsDir, 'sesn_000000000000broken0000'), { recursive: true });
    await mkdir(join(root.sessionsDir, 'not-a-session'), { recursive: true });
    const listed = await listSessions(root);
    expect(listed.map((s) => s.id)).toEqual(report.imported.map((s) => s.id).sort());
  });

  it('lists nothing for a fresh root and rejects unknown or hostile ids', async () => {
    const root = await tempRoot();
    expect(await listSessions(root)).toEqual([]);
    await expect(getSession(root, 'sesn_abcdefghijklmnopqrstuvwx')).rejects.toThrow(/not found/);
    await expect(getSession(root, '../../etc/passwd')).rejects.toThrow(/not a valid sesn_/);
  });

  it('names file and line of a corrupt events.jsonl', async () => {
    const root = await tempRoot();
    const s = (await importSessions(root, [fixture('managed-agents.jsonl')])).imported[0]!;
    await writeFile(join(root.session(s.id), 'events.jsonl'), '{"type":"user.message"}\n');
    const read = async (): Promise<void> => {
      for await (const _ of readEvents(root, s.id)) void _;
    };
    await expect(read()).rejects.toThrow(/events\.jsonl:1: /);
  });

  it('reads original lines by the line rule, from plain and gzip originals', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [fixture('build.log.gz')]);
    const s = report.imported[0]!;
    const lines = await readOriginalLines(root, s.id, 3, 4);
    expect(lines[0]).toBe(
      '2024-05-06T07:08:10.0000000Z Downloading  10%\rDownloading  55%\rDownloading 100%',
    );
    expect(lines[1]).toMatch(/GITHUB_TOKEN=ghp_/); // the original is kept as given
    expect(await readOriginalLines(root, s.id, 7, 100)).toHaveLength(1);
    expect(await readOriginalLines(root, s.id, 8, 9)).toEqual([]);
    await expect(readOriginalLines(root, s.id, 0, 2)).rejects.toThrow(/not a valid 1-based range/);
    await expect(readOriginalLines(root, s.id, 5, 4)).rejects.toThrow(/not a valid 1-based range/);
  });

  it('reads a range deep in a multi-chunk file', async () => {
    const dir = await tempDir();
    const text =
      Array.from({ length: 60_000 }, (_, i) => `line ${i + 1} ${'x'.repeat(i % 50)}`).join('\r\n') + '\r\n';
    const file = join(dir, 'big.log.gz');
    await writeFile(file, gzipSync(text));
    const root = await tempRoot();
    const s = (await importSessions(root, [file])).imported[0]!;
    expect(s.line_count).toBe(60_000);
    expect(await readOriginalLines(root, s.id, 49_999, 50_001)).toEqual(
      splitLines(text).slice(49_998, 50_001),
    );
  });
});
