/**
 * Secret redaction applied to normalized event text at ingest (the original bytes are kept as
 * given). Each rule replaces a secret with `[REDACTED:<kind>]`. Rules run most-specific first so a
 * GitHub token inside `token=…` is reported as a github_token, and later rules never re-redact a
 * marker. Line structure is preserved: a multi-line PEM block keeps its line breaks, so line
 * numbers computed on redacted text still match the original.
 */
export interface RedactResult {
  text: string;
  count: number;
}

interface Rule {
  kind: string;
  re: RegExp;
  /** A cheap test that must pass before the rule's regex runs (most log lines pass none). */
  trigger: RegExp;
  /** Builds the replacement from the match; defaults to the whole match becoming the marker. */
  replace?: (match: string, ...groups: string[]) => string;
}

const marker = (kind: string): string => `[REDACTED:${kind}]`;

// Keywords whose assigned value is a secret; password-like keys accept shorter values.
const PASSWORD_KEY = String.raw`(?:password|passwd|passphrase|pwd)`;
const SECRET_KEY = String.raw`(?:secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)`;
// Values that are clearly not secrets: placeholders, env references, already-redacted markers.
const NOT_A_VALUE = String.raw`(?!\[REDACTED|\$|<|\*{3}|%\(|\{\{|\d+\b|true\b|false\b|null\b|none\b|undefined\b)`;

function assignmentRule(kind: string, key: string, minLen: number, trigger: RegExp): Rule {
  // Anchored on the keyword, not on the start of the key name: a lazy `[\w.-]*?` prefix tried at
  // every word boundary made this the slowest rule on big logs. The prefix (`db_` in
  // `db_password`) is outside the match and stays as it was.
  const re = new RegExp(
    String.raw`(${key}s?)\b(["']?\s*[:=]\s*["']?)${NOT_A_VALUE}([^\s"'` + '`' + String.raw`,;&]{${minLen},})`,
    'gi',
  );
  return { kind, re, trigger, replace: (_m, k, sep) => `${k}${sep}${marker(kind)}` };
}

const RULES: Rule[] = [
  {
    kind: 'private_key',
    trigger: /PRIVATE KEY/,
    re: /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g,
    // Keep every line break of the block so line numbering is unchanged.
    replace: (m) => marker('private_key') + '\n'.repeat((m.match(/\n/g) ?? []).length),
  },
  {
    kind: 'url_password',
    trigger: /:\/\/[^\s/@]*:/,
    re: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]+):(?!\[REDACTED)([^\s@/]+)@/gi,
    replace: (_m, scheme, user) => `${scheme}${user}:${marker('url_password')}@`,
  },
  { kind: 'anthropic_key', trigger: /sk-ant-/, re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: 'openai_key', trigger: /sk-/, re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  {
    kind: 'github_token',
    trigger: /gh[pousr]_|github_pat_/,
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})\b/g,
  },
  { kind: 'slack_token', trigger: /xox[abpr]-/, re: /\bxox[abpr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'aws_access_key', trigger: /AKIA|ASIA/, re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'jwt', trigger: /eyJ/, re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    kind: 'bearer_token',
    trigger: /Bearer/,
    re: /\b(Bearer)\s+(?!\[REDACTED)[A-Za-z0-9\-._~+/]{16,}=*/g,
    replace: (_m, word) => `${word} ${marker('bearer_token')}`,
  },
  assignmentRule('password', PASSWORD_KEY, 6, /pass|pwd/i),
  assignmentRule('secret', SECRET_KEY, 8, /secret|token|key|credential/i),
];

// One cheap test rejects most log lines before any rule runs. Case variants are spelled out
// rather than using /i, which halves its cost on long logs; a key in odd mixed case (`pAsSword`)
// is the price. The literals are `PRIVATE KEY|[Pp]ass|PASS|[Pp]wd|PWD|sk-|[Ss]ecret|SECRET|
// AKIA|ASIA|…` grouped by first letter: the same set of strings, ~20% faster to test per line.
const ANY_TRIGGER =
  /P(?:RIVATE KEY|ass|ASS|wd|WD)|p(?:ass|wd)|s(?:k-|ecret)|S(?:ecret|ECRET)|A(?:KIA|SIA)|:\/\/|gh[pousr]_|github_pat_|xox[abpr]-|eyJ|[Bb]earer|[Tt]oken|TOKEN|[Kk]ey|KEY|[Cc]redential|CREDENTIAL/;

export function redactSecrets(text: string): RedactResult {
  if (!ANY_TRIGGER.test(text)) return { text, count: 0 };
  let count = 0;
  let out = text;
  for (const rule of RULES) {
    if (!rule.trigger.test(out)) continue;
    rule.re.lastIndex = 0;
    out = out.replace(rule.re, (...args: unknown[]) => {
      count++;
      // args = [match, ...groups, offset, input]; no named groups are used.
      const parts = args.slice(0, -2) as string[];
      return rule.replace ? rule.replace(parts[0]!, ...parts.slice(1)) : marker(rule.kind);
    });
  }
  return { text: out, count };
}

/**
 * Line-by-line redaction for streamed logs, where a PEM block can straddle two chunks of lines:
 * remembers whether we are inside a private key block across calls.
 */
export class LineRedactor {
  private inKey = false;
  count = 0;

  redactLine(line: string): string {
    if (this.inKey) {
      // The block was counted once at its BEGIN line.
      if (/-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.test(line)) this.inKey = false;
      return marker('private_key');
    }
    if (!line.includes('PRIVATE KEY')) {
      const r = redactSecrets(line);
      this.count += r.count;
      return r.text;
    }
    const begin = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.exec(line);
    if (begin && !/-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.test(line.slice(begin.index))) {
      this.inKey = true;
      const before = redactSecrets(line.slice(0, begin.index));
      this.count += before.count + 1;
      return before.text + marker('private_key');
    }
    const r = redactSecrets(line);
    this.count += r.count;
    return r.text;
  }
}
