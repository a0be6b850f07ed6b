import { describe, expect, it } from 'vitest';
import { parseLineTimestamp } from '../../src/sessions/timestamps.ts';

describe('parseLineTimestamp', () => {
  const iso: [string, string][] = [
    ['2024-01-02T03:04:05Z build started', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05.1234567Z ##[group]Run npm ci', '2024-01-02T03:04:05.123Z'],
    ['2024-01-02T03:04:05+02:00 local', '2024-01-02T01:04:05.000Z'],
    ['2024-01-02 03:04:05 INFO naive is UTC', '2024-01-02T03:04:05.000Z'],
    ['2015-10-18 18:01:47,978 INFO [main] hadoop', '2015-10-18T18:01:47.978Z'],
    ['[2024-01-02 03:04:05] bracketed', '2024-01-02T03:04:05.000Z'],
    ['\x1b[32m2024-01-02T03:04:05Z\x1b[0m coloured', '2024-01-02T03:04:05.000Z'],
  ];
  for (const [line, want] of iso) {
    it(`reads ${JSON.stringify(line.slice(0, 30))}`, () =>
      expect(parseLineTimestamp(line)).toEqual({ kind: 'iso', iso: want }));
  }

  it('recognizes syslog stamps but gives no date (no year)', () => {
    expect(parseLineTimestamp('Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user')).toEqual({ kind: 'syslog' });
    expect(parseLineTimestamp('Jun  9 06:06:20 combo syslogd 1.4.1: restart.')).toEqual({ kind: 'syslog' });
  });

  it('rejects lines without a stamp and impossible dates', () => {
    for (const l of [
      'npm ERR! code ERESOLVE',
      '[INFO] BUILD FAILURE',
      '2024-13-45T03:04:05Z nope',
      '20240102 030405',
      '',
      '12345',
    ]) {
      expect(parseLineTimestamp(l)).toBeNull();
    }
  });
});
