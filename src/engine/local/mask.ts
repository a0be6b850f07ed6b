/**
 * Variable masking: the part of a message that changes from run to run (numbers, hashes, paths,
 * times, quoted values…) is replaced by a placeholder so that the same failure in two runs gives
 * the same text. One general rule set for every input — no per-dataset regexes — because the
 * engine must work on logs nobody has seen before.
 *
 * Order matters: composite shapes (URLs, timestamps, UUIDs, paths) are masked before their parts
 * (numbers, hex runs) would be.
 */

export type Placeholder = '<URL>' | '<TS>' | '<UUID>' | '<IP>' | '<PATH>' | '<HEX>' | '<DUR>' | '<SIZE>' | '<STR>' | '<ID>' | '<NUM>';

interface Rule {
  re: RegExp;
  to: Placeholder | ((m: string) => string);
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';

// Characters that end a path: blanks, quotes, brackets, separators that follow a path in
// `file:line` or `(path)` shapes. A colon ends it so `src/a.ts:12:5` keeps its position shape.
// Shared with templates/mask-tokens.ts, the per-token variant of these rules.
export const PATH_CHARS = `[^\\s'"\`()\\[\\]{}<>,;:|*?]`;

const RULES: Rule[] = [
  { re: /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s'"`<>()[\]{}]+/g, to: '<URL>' },
  // ISO 8601 and common log timestamps (date, date+time, syslog "Dec 10 06:55:46").
  {
    re: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
    to: '<TS>',
  },
  { re: /\b\d{4}\/\d{2}\/\d{2}(?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\b/g, to: '<TS>' },
  { re: new RegExp(`\\b${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4})?(?:\\s+\\d{2}:\\d{2}(?::\\d{2})?)?\\b`, 'g'), to: '<TS>' },
  { re: /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, to: '<TS>' },
  { re: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, to: '<UUID>' },
  { re: /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])/g, to: '<IP>' },
  // IPv6: full form, or a compressed form with `::`; must hold a digit so `Foo::bar` is untouched.
  {
    re: /(?<![\w:])(?=[0-9a-fA-F:]*\d)(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,5})?|::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6}))(?![\w:])/g,
    to: '<IP>',
  },
  // Quoted values: the quote must not sit inside a word, so "don't" and "isn't" are left alone.
  { re: /(?<![\w'])'[^'\n]{0,200}'(?![\w'])/g, to: maskQuoted },
  { re: /(?<![\w"])"[^"\n]{0,200}"(?![\w"])/g, to: maskQuoted },
  { re: /‘[^’\n]{0,200}’|“[^”\n]{0,200}”/g, to: maskQuoted },
  { re: /\b[A-Za-z]:\\[^\s'"`<>|():]*/g, to: '<PATH>' },
  // Unix paths: absolute, home- or dot-relative, with at least two segments.
  { re: new RegExp(`(?<![\\w.~/-])(?:~|\\.{1,2})?\\/${PATH_CHARS}+\\/${PATH_CHARS}*`, 'g'), to: '<PATH>' },
  // Hex runs (git shas, addresses, digests): 6+ hex chars holding both a digit and a letter, or 0x….
  { re: /(?<![A-Za-z0-9])0x[0-9a-fA-F]+(?![A-Za-z0-9])/g, to: '<HEX>' },
  { re: /(?<![A-Za-z0-9])(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{6,}(?![A-Za-z0-9])/g, to: '<HEX>' },
  {
    re: /(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|µs|us|ns|s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?)(?![\w])/g,
    to: '<DUR>',
  },
  { re: /(?<![\w.])\d+(?:\.\d+)?\s?(?:B|KB|MB|GB|TB|KiB|MiB|GiB|kB)(?![\w])/g, to: '<SIZE>' },
  { re: /(?<![A-Za-z0-9])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?![A-Za-z0-9])/g, to: maskIdToken },
  // Numbers not glued to a letter (so `TS2345`, `E0308`, `Sync64` keep their identity).
  { re: /(?<![A-Za-z\d])[-+]?\d+(?:\.\d+)*(?![A-Za-z\d])/g, to: '<NUM>' },
];

/**
 * A quoted value ('abc', "x/y") is a variable; a quoted sentence (a panic message, a command
 * line with several words) carries the failure's meaning, so only its inner variables are masked
 * by the later rules.
 */
function maskQuoted(quoted: string): string {
  const words = quoted.slice(1, -1).trim().split(/\s+/).length;
  return words <= 3 ? '<STR>' : quoted;
}

/**
 * A word holding letters and digits is an id (a build number, a random suffix) when digits make
 * up a real share of it. `prefix+digits` words (TS2345, E0308, python3, x86) are names or codes,
 * not variables, and stay.
 */
export function maskIdToken(word: string): string {
  if (!/\d/.test(word)) return word;
  if (/^[A-Za-z]+\d{1,4}$/.test(word)) return word;
  const digits = word.replace(/\D/g, '').length;
  return digits >= 2 && digits / word.length >= 0.2 && word.length >= 5 ? '<ID>' : word;
}

/** Mask every variable part of `text`; whitespace runs collapse to one space. */
export function maskText(text: string): string {
  let out = text;
  for (const rule of RULES) {
    out = typeof rule.to === 'string' ? out.replace(rule.re, rule.to) : out.replace(rule.re, rule.to);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Mask a command line for a "command shape": the program and its sub-command words and flags
 * stay, arguments that look like values become placeholders. `pytest tests/test_x.py -k foo`
 * → `pytest <ARG> -k <ARG>`. The first `headWords` bare words are kept as the command head.
 */
export function commandShape(command: string, headWords = 2): string {
  // A quoted argument is one value, whatever it holds (`python -c "import x; x.run()"`).
  const firstLine = (command.trim().split('\n')[0] ?? '').replace(/'[^']*'|"[^"]*"/g, '<ARG>');
  const tokens = firstLine.split(/\s+/).filter((t) => t !== '');
  const out: string[] = [];
  let head = 0;
  for (const tok of tokens) {
    if (/^(?:&&|\|\||\||;)$/.test(tok)) {
      out.push(tok);
      head = 0;
      continue;
    }
    if (/^-{1,2}[A-Za-z][\w-]*$/.test(tok)) {
      out.push(tok);
      continue;
    }
    const flagWithValue = /^(-{1,2}[A-Za-z][\w-]*=)/.exec(tok);
    if (flagWithValue) {
      out.push(`${flagWithValue[1]}<ARG>`);
      continue;
    }
    // A program named by its path (`/usr/bin/python3`, `./venv/bin/pytest`) is its basename.
    const program = head === 0 ? /^(?:~|\.{1,2})?\/(?:[\w.+-]+\/)*([A-Za-z][\w.+-]*)$/.exec(tok) : null;
    if (program && !/\.\w{1,5}$/.test(program[1]!)) {
      out.push(program[1]!);
      head++;
      continue;
    }
    if (head < headWords && /^[A-Za-z][\w.+-]*$/.test(tok) && !/\.\w{1,5}$/.test(tok)) {
      out.push(tok);
      head++;
      continue;
    }
    head = headWords;
    if (out[out.length - 1] !== '<ARG>') out.push('<ARG>');
  }
  return out.join(' ');
}
