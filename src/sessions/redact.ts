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
  /**
   * Builds the replacement from the match; defaults to the whole match becoming the marker.
   * Returning null keeps the match as it is and does not count it (a candidate that turned out
   * not to be a secret, e.g. a low-entropy value).
   */
  replace?: (match: string, ...groups: string[]) => string | null;
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

/** Bits per character of `s`: random keys score above ~4, words and version strings below. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * A value assigned to any name that looks machine-generated: long, mixed upper/lower/digits,
 * high entropy. Hex-only values (commit SHAs, checksums) and paths are not secrets by shape.
 */
function isHighEntropySecret(value: string): boolean {
  if (value.length < 24 || /^[0-9a-f]+$/i.test(value)) return false;
  // Prefixed object ids (`sesn_…`, `msg_01…`, `toolu_…`) are random by design and public.
  if (/^[a-z]{2,10}_[A-Za-z0-9]{8,}$/.test(value)) return false;
  if (value.includes('/') && value.split('/').some((seg) => /^[a-z][a-z._-]{2,}$/.test(seg))) return false; // a path
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || (value.match(/\d/g) ?? []).length < 2) return false;
  // Identifiers (`MyComponentName2ForTests`, `test_DIGESTAUTH_WRONG_HTTP_401`) are mostly runs of
  // same-case letters; random keys are not.
  const wordy = (value.match(/[a-z]{3,}|[A-Z]{4,}/g) ?? []).reduce((n, w) => n + w.length, 0);
  if (wordy / value.length > 0.5) return false;
  // A random string of n characters from a 62-letter alphabet scores close to log2(n) for short n.
  return shannonEntropy(value) >= Math.min(4.2, 0.8 * Math.log2(value.length));
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
    // The user may be empty (`redis://:pass@host`).
    re: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):(?!\[REDACTED)([^\s@/]+)@/gi,
    replace: (_m, scheme, user) => `${scheme}${user}:${marker('url_password')}@`,
  },
  { kind: 'anthropic_key', trigger: /sk-ant-/, re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: 'openai_key', trigger: /sk-/, re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  {
    kind: 'github_token',
    trigger: /gh[pousr]_|github_pat_/,
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})\b/g,
  },
  { kind: 'slack_token', trigger: /xox[abprs]-|xapp-/, re: /\b(?:xox[abprs]|xapp)-[A-Za-z0-9-]{10,}/g },
  {
    kind: 'webhook_url',
    trigger: /hooks\.slack\.com|\/api\/webhooks\//,
    re: /\bhttps?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)|(?:[\w-]+\.)?discord(?:app)?\.com\/api\/webhooks)\/[A-Za-z0-9/_-]+/g,
  },
  { kind: 'aws_access_key', trigger: /AKIA|ASIA/, re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  {
    kind: 'aws_secret_key',
    trigger: /aws|AWS/,
    re: /\b(aws_?secret_?(?:access_?)?key|AWS_?SECRET_?(?:ACCESS_?)?KEY)(["']?\s*[:=]\s*["']?)(?!\[REDACTED)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/g,
    replace: (_m, k, sep) => `${k}${sep}${marker('aws_secret_key')}`,
  },
  { kind: 'stripe_key', trigger: /_live_|_test_/, re: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { kind: 'gcp_api_key', trigger: /AIza/, re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  {
    kind: 'azure_key',
    trigger: /AccountKey|SharedAccess/,
    re: /\b(AccountKey|SharedAccessKey|SharedAccessSignature)=(?!\[REDACTED)([^;\s"']{16,})/g,
    replace: (_m, k) => `${k}=${marker('azure_key')}`,
  },
  { kind: 'jwt', trigger: /eyJ/, re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    kind: 'bearer_token',
    trigger: /Bearer/,
    re: /\b(Bearer)\s+(?!\[REDACTED)[A-Za-z0-9\-._~+/]{16,}=*/g,
    replace: (_m, word) => `${word} ${marker('bearer_token')}`,
  },
  assignmentRule('password', PASSWORD_KEY, 6, /pass|pwd/i),
  assignmentRule('secret', SECRET_KEY, 8, /secret|token|key|credential/i),
  {
    kind: 'high_entropy',
    trigger: /[=:]\s*["']?[\w+/-]{24}/,
    re: /\b([A-Za-z_][\w.-]*)(["']?\s*[:=]\s*["']?)(?!\[REDACTED)([A-Za-z0-9+/_-]{24,}={0,2})(?![\w+/=-])/g,
    replace: (_m, k, sep, value) => (isHighEntropySecret(value) ? `${k}${sep}${marker('high_entropy')}` : null),
  },
];

// One cheap test rejects most log lines before any rule runs. Case variants are spelled out
// rather than using /i, which halves its cost on long logs; a key in odd mixed case (`pAsSword`)
// is the price. The literals are `PRIVATE KEY|[Pp]ass|PASS|[Pp]wd|PWD|sk-|[Ss]ecret|SECRET|
// AKIA|ASIA|…` grouped by first letter: the same set of strings, ~20% faster to test per line.
// `[=:]…{24}` admits any long assigned value for the high-entropy rule: a line of short words
// fails it at once.
const ANY_TRIGGER =
  /P(?:RIVATE KEY|ass|ASS|wd|WD)|p(?:ass|wd)|s(?:k-|ecret)|S(?:ecret|ECRET)|A(?:KIA|SIA|Iza|ccountKey)|:\/\/|gh[pousr]_|github_pat_|xox[abprs]-|xapp-|eyJ|[Bb]earer|[Tt]oken|TOKEN|[Kk]ey|KEY|[Cc]redential|CREDENTIAL|k_(?:live|test)_|[=:]\s*["']?[\w+/-]{24}/;

export function redactSecrets(text: string): RedactResult {
  if (!ANY_TRIGGER.test(text)) return { text, count: 0 };
  let count = 0;
  let out = text;
  for (const rule of RULES) {
    if (!rule.trigger.test(out)) continue;
    rule.re.lastIndex = 0;
    out = out.replace(rule.re, (...args: unknown[]) => {
      // args = [match, ...groups, offset, input]; no named groups are used.
      const parts = args.slice(0, -2) as string[];
      const replaced = rule.replace ? rule.replace(parts[0]!, ...parts.slice(1)) : marker(rule.kind);
      if (replaced === null) return parts[0]!;
      count++;
      return replaced;
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
