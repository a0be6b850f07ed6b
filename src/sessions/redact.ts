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
  /** Builds the replacement from the match; defaults to the whole match becoming the marker. */
  replace?: (match: string, ...groups: string[]) => string;
}

const marker = (kind: string): string => `[REDACTED:${kind}]`;

// Keywords whose assigned value is a secret; password-like keys accept shorter values.
const PASSWORD_KEY = String.raw`(?:password|passwd|passphrase|pwd)`;
const SECRET_KEY = String.raw`(?:secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)`;
// Values that are clearly not secrets: placeholders, env references, already-redacted markers.
const NOT_A_VALUE = String.raw`(?!\[REDACTED|\$|<|\*{3}|%\(|\{\{|\d+\b|true\b|false\b|null\b|none\b|undefined\b)`;

function assignmentRule(kind: string, key: string, minLen: number): Rule {
  // key, then `=`/`:` with optional quotes, then a value up to whitespace/quote/separator.
  const re = new RegExp(
    String.raw`\b([A-Za-z0-9_.-]*?${key}s?)\b(["']?\s*[:=]\s*["']?)${NOT_A_VALUE}([^\s"'` +
      '`' +
      String.raw`,;&]{${minLen},})`,
    'gi',
  );
  return { kind, re, replace: (_m, k, sep) => `${k}${sep}${marker(kind)}` };
}

const RULES: Rule[] = [
  {
    kind: 'private_key',
    re: /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g,
    // Keep every line break of the block so line numbering is unchanged.
    replace: (m) => marker('private_key') + '\n'.repeat((m.match(/\n/g) ?? []).length),
  },
  {
    kind: 'url_password',
    re: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]+):(?!\[REDACTED)([^\s@/]+)@/gi,
    replace: (_m, scheme, user) => `${scheme}${user}:${marker('url_password')}@`,
  },
  { kind: 'anthropic_key', re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: 'openai_key', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { kind: 'github_token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: 'slack_token', re: /\bxox[abpr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'aws_access_key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    kind: 'bearer_token',
    re: /\b(Bearer)\s+(?!\[REDACTED)[A-Za-z0-9\-._~+/]{16,}=*/g,
    replace: (_m, word) => `${word} ${marker('bearer_token')}`,
  },
  assignmentRule('password', PASSWORD_KEY, 6),
  assignmentRule('secret', SECRET_KEY, 8),
];

// One cheap test rejects the vast majority of log lines before running every rule.
const TRIGGER =
  /PRIVATE KEY|:\/\/[^\s/@]*:|sk-|gh[pousr]_|github_pat_|xox[abpr]-|AKIA|ASIA|eyJ|bearer|pass|pwd|secret|token|key|credential/i;

export function redactSecrets(text: string): RedactResult {
  if (!TRIGGER.test(text)) return { text, count: 0 };
  let count = 0;
  let out = text;
  for (const rule of RULES) {
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
