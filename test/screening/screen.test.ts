import { describe, expect, it } from 'vitest';
import { screenContent } from '../../src/screening/screen.ts';
import { BENIGN, HOSTILE } from './corpus.ts';

describe('screenContent', () => {
  for (const [text, rule] of HOSTILE) {
    it(`flags ${rule}: ${JSON.stringify(text.slice(0, 50))}`, () => {
      const r = screenContent(`# A lesson\n\n${text}\n`);
      expect(r.flags.map((f) => f.rule)).toContain(rule);
      const f = r.flags.find((x) => x.rule === rule)!;
      expect(f.line).toBe(3);
      expect(f.excerpt.length).toBeGreaterThan(0);
    });
  }

  it('flags none of the benign look-alikes', () => {
    const flagged = BENIGN.map((t) => ({ t, flags: screenContent(t).flags })).filter(
      (x) => x.flags.length > 0,
    );
    expect(flagged.map((x) => `${x.t} → ${x.flags.map((f) => f.rule).join(',')}`)).toEqual([]);
  });

  it('redacts secrets as a final pass and counts them, without flagging the memory', () => {
    const r = screenContent(
      'Use `psql postgres://app:hunter2hunter2@db/app` and key AKIAIOSFODNN7EXAMPLE.\n',
    );
    expect(r.flags).toEqual([]);
    expect(r.redactions).toBe(2);
    expect(r.content).toBe(
      'Use `psql postgres://app:[REDACTED:url_password]@db/app` and key [REDACTED:aws_access_key].\n',
    );
  });

  it('shows hidden characters in excerpts and never quotes a secret', () => {
    const r = screenContent(
      'ignore\u200B previous instructions; token ghp_abcdefghijklmnopqrstuvwxyz0123456789\n',
    );
    const zw = r.flags.find((f) => f.rule === 'zero_width')!;
    expect(zw.excerpt).toContain('<U+200B>');
    for (const f of r.flags) expect(f.excerpt).not.toContain('ghp_abc');
  });
});
