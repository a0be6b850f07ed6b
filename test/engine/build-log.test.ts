import { describe, expect, it } from 'vitest';
import { splitLines, visibleText } from '../../src/core/lines.ts';
import { Finding } from '../../src/engine/findings.ts';
import { failureRanges } from '../../src/engine/local/build-log.ts';
import { LocalEngine } from '../../src/engine/local/engine.ts';
import { classifyLine } from '../../src/engine/local/log-rules.ts';
import { fixture, input, logEvents, makeSession, unverifiableQuotes } from './helpers.ts';

async function logFindings(name: string, text = fixture(name), sequence = 0) {
  const session = makeSession(`sesn_${name.replace(/\W/g, '')}`, 'build_log', name, '2024-03-01T10:00:00Z');
  const events = logEvents(text, 3);
  const result = await new LocalEngine().extract(input(session, events, sequence), { instructions: null });
  const lines = splitLines(text);
  return { ...result, events, visible: (n: number) => visibleText(lines[n - 1] ?? '') };
}

describe('failureRanges', () => {
  it('ranks the failure of each tool chain first', () => {
    const cases: [string, RegExp, number][] = [
      ['npm-eresolve-run1.log', /ERESOLVE/, 3],
      ['maven-compile.log', /Compilation failure|cannot find symbol|COMPILATION ERROR/, 12],
      ['pytest-assert.log', /AssertionError/, 16],
      ['go-test.log', /FAIL/, 8],
      ['cargo-e0308.log', /error\[E0308\]: mismatched types/, 3],
      ['gha-tsc.log', /error TS2322/, 6],
      ['git-clone.log', /fatal: unable to access <STR>: Could not resolve host/, 3],
    ];
    for (const [name, sig, line] of cases) {
      const ranges = failureRanges(splitLines(fixture(name)));
      const top = ranges[0]!;
      expect(top.signature, name).toMatch(sig);
      expect(top.start <= line && line <= top.end, `${name}: line ${line} in ${top.start}-${top.end}`).toBe(true);
    }
  });

  it('strips ANSI codes and CI timestamps from signatures', () => {
    const [cargo] = failureRanges(splitLines(fixture('cargo-e0308.log')));
    expect(cargo!.signature).not.toMatch(/\x1b/);
    const [gha] = failureRanges(splitLines(fixture('gha-tsc.log')));
    expect(gha!.signature.startsWith('src/server/routes.ts(<NUM>,<NUM>): error TS2322')).toBe(true);
  });

  it('ranks a real error above the exit-status boilerplate after it, which stays apart', () => {
    const lines = ['compiling', 'ld: library not found for -lssl', 'clang: error: linker command failed', 'The command "make" exited with 1.'];
    const ranges = failureRanges(lines);
    expect(ranges[0]!.signature).toMatch(/library not found|linker command failed/);
    expect(ranges[0]!.start).toBeLessThanOrEqual(2);
    expect(ranges[0]!.end).toBe(3);
    // The exit line is an epilogue: its own range, ranked below the cause.
    expect(ranges.slice(1).every((r) => r.start === 4 && r.score < ranges[0]!.score)).toBe(true);
  });

  it('prefers the failing step over output of later steps', () => {
    const lines = [
      '$ npm test',
      'Error: expected 3 but got 4',
      'The command "npm test" exited with 1.',
      ...Array.from({ length: 30 }, (_, i) => `log line ${i}`),
      '$ cat debug.log',
      'ERROR something unrelated in the dump',
      'Done. Your build exited with 1.',
    ];
    expect(failureRanges(lines)[0]!.signature).toMatch(/expected <NUM> but got <NUM>/);
  });

  it('returns nothing for a clean log and ignores zero counts', () => {
    expect(failureRanges(['Tests run: 12, Failures: 0, Errors: 0', 'BUILD SUCCESS', '0 errors, 0 warnings'])).toEqual([]);
    expect(classifyLine('Tests run: 12, Failures: 2, Errors: 0')).not.toBeNull();
  });

  it('reads the last frame of a progress line rewritten with \\r', () => {
    const ranges = failureRanges(['Downloading 10%\rDownloading 100%\rERROR: disk full on /dev/sda1']);
    expect(ranges[0]!.signature).toBe('ERROR: disk full on <PATH>');
  });

  it('limits the number of ranges and gives one per signature', () => {
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) lines.push(`error: failure number ${i} in module${i % 2 ? 'A' : 'B'}`, '', '', '', '', 'ok');
    const ranges = failureRanges(lines, { max: 3 });
    expect(ranges.length).toBeLessThanOrEqual(3);
    expect(new Set(ranges.map((r) => r.signature)).size).toBe(ranges.length);
  });
});

describe('build-log findings', () => {
  it('gives the same key for the same failure in two runs with different versions, paths and times', async () => {
    const a = await logFindings('npm-eresolve-run1.log');
    const b = await logFindings('npm-eresolve-run2.log');
    expect(a.findings[0]!.key).toBe(b.findings[0]!.key);
    expect(a.findings[0]!.key).toMatch(/^log:[0-9a-f]{16}$/);
    expect(a.findings[0]!.attributes).toMatchObject({ category: 'dependency', exit_code: 1 });
  });

  it('gives different keys to different failures', async () => {
    const keys = new Set<string>();
    for (const name of ['npm-eresolve-run1.log', 'maven-compile.log', 'pytest-assert.log', 'go-test.log', 'cargo-e0308.log', 'gha-tsc.log', 'git-clone.log']) {
      const { findings } = await logFindings(name);
      expect(findings.length, name).toBeGreaterThan(0);
      keys.add(findings[0]!.key);
    }
    expect(keys.size).toBe(7);
  });

  it('emits valid findings whose quotes occur verbatim in the cited lines', async () => {
    for (const name of ['npm-eresolve-run1.log', 'maven-compile.log', 'cargo-e0308.log', 'gha-tsc.log', 'git-clone.log', 'pytest-assert.log']) {
      const { findings, events, visible, warnings } = await logFindings(name, undefined, 4);
      expect(warnings).toEqual([]);
      for (const f of findings) {
        expect(() => Finding.parse(f)).not.toThrow();
        expect(f.sequence).toBe(4);
        expect(f.observed_at).toBe('2024-03-01T10:00:00Z');
        expect(f.title.startsWith('Build fails: ')).toBe(true);
        expect(f.confidence).toBeGreaterThan(0);
        expect(f.confidence).toBeLessThanOrEqual(1);
      }
      expect(unverifiableQuotes(findings, events, visible)).toEqual([]);
    }
  });

  it('is deterministic', async () => {
    const a = await logFindings('maven-compile.log');
    const b = await logFindings('maven-compile.log');
    expect(JSON.stringify(a.findings)).toBe(JSON.stringify(b.findings));
  });

  it('numbers lines like grep -n across events and CRLF endings', async () => {
    const { findings } = await logFindings('maven-compile.log');
    const lines = findings[0]!.evidence[0]!.lines!;
    const text = fixture('maven-compile.log').split('\n');
    expect(text[lines[0] - 1]).toBeDefined();
    expect(text.slice(lines[0] - 1, lines[1]).join('\n')).toContain(findings[0]!.evidence[0]!.quote);
  });
});
