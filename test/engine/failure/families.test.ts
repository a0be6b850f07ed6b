import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../../src/core/lines.ts';
import { failureRanges } from '../../../src/engine/local/failure/ranges.ts';
import { KnownTemplates, novelLines } from '../../../src/engine/local/failure/known.ts';
import { groupKey } from '../../../src/engine/local/failure/group-key.ts';

const DIR = fileURLToPath(new URL('../../fixtures/failure/', import.meta.url));
const lines = (name: string): string[] => splitLines(readFileSync(`${DIR}${name}`, 'utf8'));

describe('failureRanges: one family per fixture', () => {
  // [fixture, what the top signature says, the line the top range must hold]
  const cases: [string, RegExp, number][] = [
    ['compiler.log', /main\.c:<NUM>:<NUM>: error: unknown type name/, 4],
    ['test-runner.log', /FAIL test\/b\.test\.js/, 4],
    ['assertion.log', /AssertionError/, 6],
    ['stack-trace.log', /IllegalStateException: config missing/, 3],
    ['exit-code.log', /Please commit all changes/, 5],
    ['dependency.log', /ERESOLVE unable to resolve dependency tree/, 4],
    ['timeout.log', /No output has been received/, 6],
    ['oom.log', /heap out of memory/, 4],
  ];
  for (const [name, sig, line] of cases) {
    it(`ranks the cause first in ${name}`, () => {
      const [top] = failureRanges(lines(name));
      expect(top, name).toBeDefined();
      expect(top!.signature).toMatch(sig);
      expect(top!.start <= line && line <= top!.end, `${name}: line ${line} in ${top!.start}-${top!.end}`).toBe(true);
    });
  }

  it('keeps the context of a failure: indented details and the stack trace head', () => {
    const [top] = failureRanges(lines('stack-trace.log'));
    expect(top!.end).toBeGreaterThanOrEqual(7); // Caused by … and its frame
    const [jest] = failureRanges(lines('test-runner.log'));
    expect(jest!.end).toBeGreaterThanOrEqual(11); // the frame under "Expected/Received"
  });

  it('ranks a failure count below the failure it counts', () => {
    const ranked = failureRanges(lines('test-runner.log'), { max: 5 });
    expect(ranked[0]!.signature).not.toMatch(/Tests: <NUM> failed/);
  });

  it('gives nothing for a passing log', () => {
    expect(failureRanges(['$ npm test', 'ok 1 adds', 'Tests: 0 failed, 3 passed', 'The command "npm test" exited with 0.'])).toEqual([]);
  });
});

describe('passing runs', () => {
  it('discounts lines whose template also occurs in a passing run', () => {
    const fail = lines('fail.log');
    const alone = failureRanges(fail, { max: 5 });
    const withPass = failureRanges(fail, { passLines: [lines('pass.log')], max: 5 });
    const cache = (rs: typeof alone) => rs.find((r) => /cache server unreachable/.test(r.signature));
    expect(withPass[0]!.signature).toMatch(/test_upload \.\.\. FAILED/);
    expect(cache(withPass)!.score).toBeLessThan(cache(alone)!.score / 3);
  });

  it('matches templates, not exact text: numbers and paths may differ between runs', () => {
    const known = KnownTemplates.of([['Downloaded 12 files to /tmp/a1/cache in 3.2s']]);
    expect(known.has('Downloaded 40 files to /var/b/cache in 0.5s')).toBe(true);
    expect(known.has('Could not download files')).toBe(false);
  });

  it('reports the new lines near a failure', () => {
    const fail = lines('fail.log');
    const known = KnownTemplates.of([lines('pass.log')]);
    const novel = novelLines(fail, known, failureRanges(fail, { passLines: [lines('pass.log')] }));
    expect([...novel].sort((a, b) => a - b)).toEqual([11, 12, 13]);
  });
});

describe('big inputs', () => {
  it('classifies only a bounded prefix of a 50 MB line, and fast', () => {
    const huge = 'x'.repeat(50 * 1024 * 1024);
    const log = ['$ ./build.sh', `error: something broke ${huge}`, huge, 'The command "./build.sh" exited with 1.'];
    const t0 = performance.now();
    const [top] = failureRanges(log);
    expect(performance.now() - t0).toBeLessThan(5_000); // a hang guard, not a benchmark
    expect(top!.start).toBe(2);
    expect(top!.signature.length).toBeLessThanOrEqual(200);
  });
});

describe('groupKey', () => {
  it('puts failures of the same kind in one group whatever test or number they name', () => {
    expect(groupKey('Error: connect ECONNREFUSED <IP>')).toBe(groupKey('Error: connect ETIMEDOUT <IP>'));
    expect(groupKey('src/<ID>.ts(<NUM>,<NUM>): error TS2322: Type <STR>')).toBe(groupKey('src/<ID>.ts(<NUM>,<NUM>): error TS2345: Argument'));
    expect(groupKey('Could not find artifact foo:bar:jar:<NUM>')).not.toBe(groupKey('No Rakefile found (looking for: rakefile)'));
  });
});
