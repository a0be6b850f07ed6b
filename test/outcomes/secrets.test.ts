import { describe, expect, it } from 'vitest';
import { findSecrets, redact } from '../../src/outcomes/secrets.ts';

describe('secret detection', () => {
  const planted = [
    'key AKIAABCDEFGHIJKLMNOP',
    'postgres://app:hunter22@db:5432/app',
    `token ghp_${'a'.repeat(36)}`,
    `xoxb-${'1'.repeat(12)}-abcdefghij`,
    `sk-ant-${'b'.repeat(30)}`,
    `OPENAI sk-proj-${'c'.repeat(30)}`,
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----',
    'api_key = "Zx81kQ0pLmN3vB7tY2wR"',
  ];

  it('finds each planted secret, by line, and redaction removes it for good', () => {
    for (const s of planted) {
      const text = `first line\n${s}\n`;
      const hits = findSecrets(text);
      expect(hits.length, s).toBeGreaterThan(0);
      expect(hits[0]!.line).toBe(2);
      expect(findSecrets(redact(text))).toEqual([]);
    }
  });

  it('leaves ordinary text alone', () => {
    expect(findSecrets('max_tokens: 1024\npassword: ********\nsee https://example.com/a:b@c\nkey points below\n')).toEqual([]);
  });
});
