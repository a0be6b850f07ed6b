import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../../src/core/lines.ts';
import { LINES_PER_EVENT } from '../../../src/sessions/formats/text-log.ts';
import { fixture, importOne, tempDir, texts } from '../helpers.ts';

describe('plain text and CI build logs', () => {
  it('keeps ANSI codes and lone \\r, drops \\r\\n line endings, numbers lines like grep -n', async () => {
    const { session, events } = await importOne(fixture('build.log'));
    expect(session.format).toBe('text_log');
    expect(session.kind).toBe('build_log');
    expect(session.line_count).toBe(7);
    expect(events).toHaveLength(1);
    const ev = events[0]!;
    expect(ev.type).toBe('log.lines');
    expect(ev.source_lines).toEqual([1, 7]);
    const lines = texts(ev).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe('2024-05-06T07:08:09.2000000Z \x1b[36;1mnpm ci\x1b[0m');
    expect(lines[2]).toBe(
      '2024-05-06T07:08:10.0000000Z Downloading  10%\rDownloading  55%\rDownloading 100%',
    );
    expect(lines.some((l) => l.endsWith('\r'))).toBe(false);
    // GitHub Actions timestamps give when the run happened.
    expect(session.started_at).toBe('2024-05-06T07:08:09.123Z');
    expect(session.ended_at).toBe('2024-05-06T07:08:13.000Z');
    expect(ev.processed_at).toBe('2024-05-06T07:08:09.123Z');
  });

  it('redacts a token in a log line without changing the line count', async () => {
    const { events, session } = await importOne(fixture('build.log'));
    const lines = texts(events[0]!).split('\n');
    expect(lines[3]).toBe('2024-05-06T07:08:11.0000000Z export GITHUB_TOKEN=[REDACTED:github_token]');
    expect(session.metadata.redactions).toBe('1');
  });

  it('chunks long logs into events of at most 500 lines with exact ranges', async () => {
    const dir = await tempDir();
    const file = join(dir, 'long.log');
    const body = Array.from({ length: 1234 }, (_, i) => `step ${i + 1}${i % 7 === 0 ? '\r' : ''}`).join('\n');
    await writeFile(file, body); // no final newline
    const { session, events } = await importOne(file);
    expect(session.line_count).toBe(1234);
    expect(events.map((e) => e.source_lines)).toEqual([
      [1, 500],
      [501, 1000],
      [1001, 1234],
    ]);
    const all = events.flatMap((e) => texts(e).split('\n'));
    expect(all).toEqual(splitLines(await readFile(file, 'utf8')));
    expect(LINES_PER_EVENT).toBe(500);
  });

  it('does not mistake a Maven log for JSON, and leaves syslog dates null', async () => {
    const maven = await importOne(fixture('maven.log'));
    expect(maven.session.format).toBe('text_log');
    const sys = await importOne(fixture('syslog.log'));
    expect(sys.session.started_at).toBeNull();
    expect(sys.session.ended_at).toBeNull();
  });

  it('reads a gzip-compressed log by its magic bytes', async () => {
    const plain = await importOne(fixture('build.log'));
    const gz = await importOne(fixture('build.log.gz'));
    expect(gz.session.id).toBe(plain.session.id);
    expect(gz.session.source.gzip).toBe(true);
    expect(gz.events).toEqual(plain.events);
  });
});
