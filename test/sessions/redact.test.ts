import { describe, expect, it } from 'vitest';
import { LineRedactor, redactSecrets } from '../../src/sessions/redact.ts';

describe('redactSecrets', () => {
  const cases: [string, string, string][] = [
    ['aws access key', 'key id AKIAIOSFODNN7EXAMPLE in env', 'key id [REDACTED:aws_access_key] in env'],
    [
      'github classic token',
      'using ghp_abcdefghijklmnopqrstuvwxyz0123456789 now',
      'using [REDACTED:github_token] now',
    ],
    ['github oauth token', 'gho_abcdefghijklmnopqrstuvwxyz0123456789', '[REDACTED:github_token]'],
    [
      'github fine-grained',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      '[REDACTED:github_token]',
    ],
    ['slack token', 'xoxb-123456789012-abcdefABCDEF', '[REDACTED:slack_token]'],
    [
      'anthropic key',
      'ANTHROPIC_API_KEY sk-ant-api03-abcdefghijklmnopqrstuvwxyz_012',
      'ANTHROPIC_API_KEY [REDACTED:anthropic_key]',
    ],
    ['openai key', 'key sk-proj-abcdefghijklmnopqrstuvwxyz012345', 'key [REDACTED:openai_key]'],
    [
      'jwt',
      'auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U done',
      'auth [REDACTED:jwt] done',
    ],
    [
      'url password',
      'git clone https://bob:s3cr3tpass@github.com/x/y.git',
      'git clone https://bob:[REDACTED:url_password]@github.com/x/y.git',
    ],
    [
      'connection string url',
      'DATABASE_URL=postgres://app:hunter2hunter2@db:5432/app',
      'DATABASE_URL=postgres://app:[REDACTED:url_password]@db:5432/app',
    ],
    [
      'ado connection string',
      'Server=db;User Id=sa;Password=Pa55word!;',
      'Server=db;User Id=sa;Password=[REDACTED:password];',
    ],
    ['password assignment', 'password=correcthorse', 'password=[REDACTED:password]'],
    ['json password', '{"db_password": "correcthorse"}', '{"db_password": "[REDACTED:password]"}'],
    ['yaml token', 'token: abcdef0123456789', 'token: [REDACTED:secret]'],
    ['env secret', 'export CLIENT_SECRET=abcd1234efgh5678', 'export CLIENT_SECRET=[REDACTED:secret]'],
    [
      'bearer header',
      'Authorization: Bearer abcdefghijklmnop0123',
      'Authorization: Bearer [REDACTED:bearer_token]',
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(`redacts ${name}`, () => {
      const r = redactSecrets(input);
      expect(r.text).toBe(expected);
      expect(r.count).toBeGreaterThanOrEqual(1);
    });
  }

  it('redacts a PEM private key block and keeps its line breaks', () => {
    const pem =
      'before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef==\n-----END RSA PRIVATE KEY-----\nafter';
    const r = redactSecrets(pem);
    expect(r.text).toBe('before\n[REDACTED:private_key]\n\n\n\nafter');
    expect(r.text.split('\n')).toHaveLength(pem.split('\n').length);
    expect(r.count).toBe(1);
  });

  it('leaves ordinary text alone', () => {
    const benign = [
      'max_tokens=4096',
      'tokenizer=bert-base-uncased',
      'password: ${DB_PASSWORD}',
      'the task-runner finished in 3s',
      'npm ERR! code ERESOLVE',
      'see https://github.com/org/repo/pull/12',
      'token: true',
    ];
    for (const t of benign) expect(redactSecrets(t)).toEqual({ text: t, count: 0 });
  });

  it('is idempotent: redacted text is not redacted again', () => {
    const once = redactSecrets('password=correcthorse ghp_abcdefghijklmnopqrstuvwxyz0123456789').text;
    expect(redactSecrets(once)).toEqual({ text: once, count: 0 });
  });
});

describe('LineRedactor', () => {
  it('redacts a private key that spans calls, line for line', () => {
    const r = new LineRedactor();
    const lines = [
      'x',
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADAN',
      'BgkqhkiG9w0B',
      '-----END PRIVATE KEY-----',
      'y password=hunter22x',
    ];
    const out = lines.map((l) => r.redactLine(l));
    expect(out).toEqual([
      'x',
      '[REDACTED:private_key]',
      '[REDACTED:private_key]',
      '[REDACTED:private_key]',
      '[REDACTED:private_key]',
      'y password=[REDACTED:password]',
    ]);
    expect(r.count).toBe(2);
  });
});
