import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentId } from '../../src/core/ids.ts';
import { formatWarning, importSessions, type ImportProgress } from '../../src/sessions/import.ts';
import { listSessions, readEventsArray } from '../../src/sessions/store.ts';
import { FIXTURES, fixture, tempDir, tempRoot } from './helpers.ts';

describe('importSessions', () => {
  it('stores session.json, events.jsonl and the exact original bytes under the content id', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [fixture('build.log.gz')]);
    const s = report.imported[0]!;
    const original = await readFile(fixture('build.log'));
    expect(s.id).toBe(contentId('session', original));
    const dir = root.session(s.id);
    expect((await readdir(dir)).sort()).toEqual(['events.jsonl', 'original.gz', 'session.json']);
    expect(await readFile(join(dir, 'original.gz'))).toEqual(await readFile(fixture('build.log.gz')));
    expect(s.source.bytes).toBe((await readFile(fixture('build.log.gz'))).length);
    const events = await readEventsArray(root, s.id);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => contentId('event', s.id, String(i))));
  });

  it('is idempotent: a re-import reports the session as existing and changes nothing', async () => {
    const root = await tempRoot();
    const first = await importSessions(root, [fixture('claude-code.jsonl')]);
    const s = first.imported[0]!;
    const before = await readFile(join(root.session(s.id), 'events.jsonl'), 'utf8');
    const again = await importSessions(root, [fixture('claude-code.jsonl'), fixture('claude-code.jsonl.gz')]);
    expect(again.imported).toEqual([]);
    expect(again.existing.map((x) => x.id)).toEqual([s.id, s.id]);
    expect(await readFile(join(root.session(s.id), 'events.jsonl'), 'utf8')).toBe(before);
    expect(await listSessions(root)).toHaveLength(1);
  });

  it('gives the same ids and events when the same bytes are imported into another root', async () => {
    const a = await importSessions(await tempRoot(), [fixture('managed-agents.jsonl')]);
    const rootB = await tempRoot();
    const b = await importSessions(rootB, [fixture('managed-agents.jsonl')]);
    expect(b.imported[0]!.id).toBe(a.imported[0]!.id);
    const events = await readEventsArray(rootB, b.imported[0]!.id);
    expect(events[0]!.id).toBe(contentId('event', a.imported[0]!.id, '0'));
  });

  it('refuses binary, empty and unparseable JSON files with a reason, imports Latin-1, and goes on', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [
      fixture('binary.bin'),
      fixture('empty.log'),
      fixture('latin1.txt'),
      fixture('broken.json'),
      fixture('maven.log'),
    ]);
    const reasons = Object.fromEntries(report.failed.map((f) => [f.path.split('/').pop(), f.reason]));
    expect(reasons['binary.bin']).toMatch(/binary file \(NUL byte/);
    expect(reasons['empty.log']).toBe('empty file');
    expect(reasons['broken.json']).toMatch(/^not valid JSON: line 4, column \d+: /);
    expect(report.imported.map((s) => s.title)).toEqual(['latin1.txt', 'maven.log']);
    expect(report.warnings.find((w) => w.path.endsWith('latin1.txt'))?.message).toMatch(/invalid UTF-8/);
  });

  it('names a missing path and a glob that matches nothing', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [
      '/no/such/file.log',
      join(FIXTURES, '*.nothing-matches'),
      fixture('maven.log'),
    ]);
    expect(report.failed).toEqual([
      { path: '/no/such/file.log', reason: 'no such file or directory' },
      { path: join(FIXTURES, '*.nothing-matches'), reason: 'glob matched no files' },
    ]);
    expect(report.imported).toHaveLength(1);
  });

  it('expands directories and globs, sorted, each file once', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'runs', 'b'), { recursive: true });
    await writeFile(join(dir, 'runs', 'b', 'two.log'), 'two\n');
    await writeFile(join(dir, 'runs', 'a.log'), 'one\n');
    await writeFile(join(dir, 'runs', '.hidden'), 'hidden\n');
    const root = await tempRoot();
    const report = await importSessions(root, [join(dir, 'runs'), join(dir, 'runs', '**', '*.log')]);
    expect(report.imported.map((s) => s.source.path)).toEqual([
      join(dir, 'runs', 'a.log'),
      join(dir, 'runs', 'b', 'two.log'),
    ]);
    expect(report.failed).toEqual([]);
  });

  it('formats warnings as file:line: message', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [fixture('corrupt-lines.jsonl')]);
    expect(formatWarning(report.warnings[0]!)).toMatch(/corrupt-lines\.jsonl:3: invalid JSON: /);
  });

  it('reports progress per file', async () => {
    const root = await tempRoot();
    const seen: ImportProgress[] = [];
    await importSessions(root, [fixture('maven.log'), fixture('empty.log')], {
      onProgress: (e) => seen.push(e),
    });
    expect(seen.map((e) => [e.type, e.done, e.total, e.type === 'file_done' ? e.status : null])).toEqual([
      ['file_start', 0, 2, null],
      ['file_done', 1, 2, 'imported'],
      ['file_start', 1, 2, null],
      ['file_done', 2, 2, 'failed'],
    ]);
  });

  it('leaves no temp folder behind after a failure and sweeps folders of dead imports', async () => {
    const root = await tempRoot();
    await mkdir(root.sessionsDir, { recursive: true });
    // A folder left by an import killed mid-way (pid 2^22+1 is above Linux's pid_max default).
    const stale = join(root.sessionsDir, '.import-4194305-deadbeef0000');
    await mkdir(stale);
    await copyFile(fixture('maven.log'), join(stale, 'original'));
    await importSessions(root, [fixture('broken.json')]);
    expect(await readdir(root.sessionsDir)).toEqual([]);
  });

  it('fails a file in which no event could be read', async () => {
    const dir = await tempDir();
    const file = join(dir, 'only-bad.jsonl');
    await writeFile(
      file,
      '{"type":"user.message","content":[]}\n'.replace('user.message', 'span.model_request_start'),
    );
    const report = await importSessions(await tempRoot(), [file]);
    expect(report.failed[0]?.reason).toMatch(/^no importable events/);
  });
});

describe('importSessions edge inputs', () => {
  it('imports what a truncated gzip holds and marks the session truncated', async () => {
    const dir = await tempDir();
    const gz = await readFile(fixture('build.log.gz'));
    const file = join(dir, 'cut.gz');
    await writeFile(file, gz.subarray(0, gz.length - 20));
    const report = await importSessions(await tempRoot(), [file]);
    const s = report.imported[0]!;
    expect(s.metadata.truncated).toBe('gzip stream ended early');
    expect(report.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^gzip stream ended early: imported the \d+ bytes that could be read$/),
    );
  });

  it('refuses a gzip file with nothing readable in it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'head-only.gz');
    await writeFile(file, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    const report = await importSessions(await tempRoot(), [file]);
    expect(report.failed[0]?.reason).toMatch(/^not a valid gzip stream: /);
  });

  it('imports a log with invalid UTF-8 past the first 64 KiB, with a warning naming the line', async () => {
    const dir = await tempDir();
    const file = join(dir, 'late-bad.log');
    const head = Buffer.from('ok line\n'.repeat(10_000)); // 80,000 bytes, lines 1..10000
    await writeFile(file, Buffer.concat([head, Buffer.from([0x62, 0x61, 0x64, 0xff, 0x0a])]));
    const report = await importSessions(await tempRoot(), [file]);
    expect(report.imported).toHaveLength(1);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]!.message).toMatch(/invalid UTF-8/);
    expect(report.warnings[0]!.line).toBe(10_001);
  });

  it('imports valid JSON of an unknown shape as a text log, with a warning', async () => {
    const dir = await tempDir();
    const file = join(dir, 'labels.json');
    await writeFile(file, JSON.stringify({ failures: [{ line: 3 }] }, null, 2));
    const report = await importSessions(await tempRoot(), [file]);
    expect(report.imported[0]).toMatchObject({ format: 'text_log', kind: 'build_log' });
    expect(report.warnings.map((w) => [w.line, w.message])).toEqual([
      [0, 'JSON document of an unrecognized shape; imported as a text log'],
    ]);
  });
});
