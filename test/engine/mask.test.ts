import { describe, expect, it } from 'vitest';
import { commandShape, maskText } from '../../src/engine/local/mask.ts';

describe('maskText', () => {
  it.each([
    ['took 0.18s and 12ms', 'took <DUR> and <DUR>'],
    ['commit 3f2a9c1d0e8b failed', 'commit <HEX> failed'],
    ['run 0d3e1f2a-1b2c-4d5e-8f90-123456789abc done', 'run <UUID> done'],
    ['from 10.0.0.12:8080 and fe80::1', 'from <IP> and <IP>'],
    ['open /home/ci/build/app/src/index.ts failed', 'open <PATH> failed'],
    ['open C:\\Users\\ci\\app.cs(10,2): error', 'open <PATH>(<NUM>,<NUM>): error'],
    ['see https://example.com/a?b=1 now', 'see <URL> now'],
    ['at 2024-03-01T10:22:31.123Z and Dec 10 06:55:46', 'at <TS> and <TS>'],
    ["value 'abc' or \"x y\"", 'value <STR> or <STR>'],
    ['job sesn_abc123xyz build-4512', 'job sesn_<ID> build-<NUM>'],
    ['exceeded by 4.72 KB', 'exceeded by <SIZE>'],
    ['exit code 137', 'exit code <NUM>'],
  ])('%s', (text, want) => {
    expect(maskText(text)).toBe(want);
  });

  it('keeps error codes and names that carry identity', () => {
    expect(maskText('error TS2345 and error[E0308] in TestSync64Fast on x86')).toBe('error TS2345 and error[E0308] in TestSync64Fast on x86');
  });

  it('keeps contractions and masks only the variables of a quoted sentence', () => {
    expect(maskText("don't stop: 'called unwrap on value 42 here'")).toBe("don't stop: 'called unwrap on value <NUM> here'");
  });

  it('gives the same text for two runs that differ only in variables', () => {
    const a = '2024-01-01T00:00:01Z /home/a/run-1/x.py:12: ValueError: bad id 0xdeadbeef after 3.2s';
    const b = '2024-02-09T13:45:59Z /home/b/run-77/x.py:98: ValueError: bad id 0x1234abcd after 10s';
    expect(maskText(a)).toBe(maskText(b));
  });
});

describe('commandShape', () => {
  it.each([
    ['cd /testbed && python reproduce.py', 'cd <ARG> && python <ARG>'],
    ['pytest tests/test_x.py -k foo -x', 'pytest <ARG> -k <ARG> -x'],
    ['python -c "import x; x.run()"', 'python -c <ARG>'],
    ['npm install --save-dev typescript@5', 'npm install --save-dev <ARG>'],
    ['/usr/bin/python3 test_requests.py', 'python3 <ARG>'],
    ['git diff', 'git diff'],
    ['make build --jobs=4', 'make build --jobs=<ARG>'],
  ])('%s', (cmd, want) => {
    expect(commandShape(cmd)).toBe(want);
  });
});
