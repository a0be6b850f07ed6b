import { maskIdToken, PATH_CHARS } from '../mask.ts';
import { detach } from './detach.ts';

/*
 * Token-level masking: the placeholder vocabulary of mask.ts `maskText`, applied one
 * blank-separated token at a time. Template mining needs tokens anyway and must run at hundreds
 * of thousands of lines per second, so instead of running every rule over the whole line, one
 * pass splits the line and looks at each token's characters; only a token holding a digit, a
 * slash or a quote is looked at further, and the commonest shape (integers, decimals, IPs) is
 * decided without a regular expression. Everything else goes through the rules below once per
 * distinct token: logs repeat the same odd tokens (ANSI colour codes split at ESC, `100%`,
 * `sshd[24200]:`) millions of times, so the result is memoized. Shapes that span blanks
 * (`Dec 10 06:55:46`, `2024-01-01 10:00:00`) become runs of `<TS>` folded into one token.
 */
const HAS_DIGIT = 1;
const HAS_SLASH = 2;
const HAS_QUOTE = 4;

const MONTHS = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);

const IP = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])/g;
const CLOCK = /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g;
const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;
const HEX_0X = /(?<![A-Za-z0-9])0x[0-9a-fA-F]+(?![A-Za-z0-9])/g;
const HEX_RUN = /(?<![A-Za-z0-9])(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{6,}(?![A-Za-z0-9])/g;
const DUR = /(?<![\w.])\d+(?:\.\d+)?(?:ms|µs|us|ns|s|sec|secs|m|min|mins|h)(?![\w])/g;
const SIZE = /(?<![\w.])\d+(?:\.\d+)?(?:B|KB|MB|GB|TB|KiB|MiB|GiB|kB)(?![\w])/g;
const WORD = /(?<![A-Za-z0-9])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?![A-Za-z0-9])/g;
const NUM = /(?<![A-Za-z\d])[-+]?\d+(?:\.\d+)*(?![A-Za-z\d])/g;

const TOKEN_PATH = new RegExp(`(?<=[(=\\[{<,])(?:~|\\.{1,2})?\\/${PATH_CHARS}+\\/${PATH_CHARS}*`, 'g');
const DATE_HEAD = /^\d{4}-\d{2}-\d{2}|^\d{4}\/\d{2}\/\d{2}/;
const QUOTED = /^['"‘“].*['"’”]$/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function countOf(s: string, code: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === code) n++;
  return n;
}

function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isDigit(s.charCodeAt(i))) return true;
  return false;
}

function hasLetter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/** A duration unit starts with one of m µ u n s h. */
function hasUnitStart(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 109 || c === 115 || c === 117 || c === 110 || c === 104 || c === 0xb5) return true;
  }
  return false;
}

/** Digits and dots only: an IPv4 address (four groups of 1–3 digits) or a number/version. */
function digitsAndDots(s: string): '<IP>' | '<NUM>' | null {
  let dots = 0;
  let run = 0;
  let maxRun = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      run++;
      if (run > maxRun) maxRun = run;
    } else if (c === 46 && run > 0) {
      dots++;
      run = 0;
    } else if (!(i === 0 && (c === 45 || c === 43))) return null;
  }
  if (run === 0) return null;
  return dots === 3 && maxRun <= 3 ? '<IP>' : '<NUM>';
}

/**
 * Digit groups between punctuation (`11/56`, `3,106`, `100%`, `#12`, `1-2`) are decided without
 * the rules: `null` unless the token holds only digits and `/ , - + . % # :` in a shape no rule but
 * the number rule can match (fewer than three dots: no IP; fewer than two colons: no clock time;
 * shorter than a UUID; no date head; no letter at all), so the answer equals `applyRules`'.
 * A slash must follow a digit start and not meet `:` or `,` (URL and `,/path` shapes).
 */
function numbersOnly(s: string): string | null {
  const n = s.length;
  if (n >= 36 || !isDigit(s.charCodeAt(0))) return null;
  let dots = 0;
  let colons = 0;
  let slash = false;
  let comma = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) continue;
    if (c === 46) dots++;
    else if (c === 58) colons++;
    else if (c === 47) slash = true;
    else if (c === 44) comma = true;
    else if (c !== 45 && c !== 43 && c !== 37 && c !== 35) return null;
  }
  if (dots >= 3 || colons >= 2 || (slash && (colons > 0 || comma)) || DATE_HEAD.test(s)) return null;
  // The number rule: `[-+]?\d+(?:\.\d+)*` not touching a digit on either side.
  let out = '';
  let from = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    const prevDigit = i > 0 && isDigit(s.charCodeAt(i - 1));
    let start = -1;
    if (isDigit(c) && !prevDigit) start = i;
    else if ((c === 45 || c === 43) && !prevDigit && i + 1 < n && isDigit(s.charCodeAt(i + 1))) start = i;
    if (start < 0) {
      i++;
      continue;
    }
    let j = start + 1;
    while (j < n && isDigit(s.charCodeAt(j))) j++;
    while (j + 1 < n && s.charCodeAt(j) === 46 && isDigit(s.charCodeAt(j + 1))) {
      j += 2;
      while (j < n && isDigit(s.charCodeAt(j))) j++;
    }
    out += s.slice(from, start) + '<NUM>';
    from = j;
    i = j;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * The general rules, in mask.ts order. Each runs only when the token holds what a match needs
 * (three dots for an IP, two colons for a clock time, a `B` for a size…): the check is a
 * necessary condition, so skipping changes nothing but the cost.
 */
function applyRules(input: string): string {
  let out = input;
  if (countOf(out, 46) >= 3) out = out.replace(IP, '<IP>');
  if (countOf(out, 58) >= 2) out = out.replace(CLOCK, '<TS>');
  if (out.length >= 36 && out.includes('-')) out = out.replace(UUID, '<UUID>');
  if (out.includes('0x')) out = out.replace(HEX_0X, '<HEX>');
  if (!hasDigit(out)) return out;
  if (out.length >= 6) out = out.replace(HEX_RUN, '<HEX>');
  if (hasUnitStart(out)) out = out.replace(DUR, '<DUR>');
  if (out.includes('B')) out = out.replace(SIZE, '<SIZE>');
  if (out.length >= 5 && hasLetter(out) && hasDigit(out)) out = out.replace(WORD, maskIdToken);
  if (hasDigit(out)) out = out.replace(NUM, '<NUM>');
  return out;
}

/** Mask the core of one token (surrounding brackets and punctuation already split off). */
function maskCoreSlow(input: string, flags: number): string {
  let core = input;
  if (flags & HAS_QUOTE && core.length >= 2 && QUOTED.test(core)) return '<STR>';
  if (flags & HAS_SLASH) {
    if (core.includes('://')) return '<URL>';
    const c0 = core.charCodeAt(0);
    const pathStart = c0 === 47 || c0 === 126 || (c0 === 46 && core.includes('/'));
    if (pathStart && core.indexOf('/', core.indexOf('/') + 1) > 0 && !/^\/?\d{1,3}(?:\.\d{1,3}){3}/.test(core)) return '<PATH>';
    if (/^[A-Za-z]:\\/.test(core)) return '<PATH>';
    if (!pathStart) core = core.replace(TOKEN_PATH, '<PATH>');
  }
  if (!(flags & HAS_DIGIT)) return core;
  const shape = digitsAndDots(core);
  if (shape) return shape;
  if (DATE_HEAD.test(core)) return '<TS>';
  return applyRules(core);
}

/** Distinct token cores remembered with their masked form; dropped whole when full. */
const CACHE_LIMIT = 1 << 16;
let cache = new Map<string, string>();

function maskCore(core: string, flags: number): string {
  if ((flags & HAS_QUOTE) === 0) {
    if (flags === HAS_DIGIT) {
      const shape = digitsAndDots(core);
      if (shape) return shape;
    }
    const nums = numbersOnly(core);
    if (nums !== null) return nums;
  }
  let masked = cache.get(core);
  if (masked === undefined) {
    masked = maskCoreSlow(core, flags);
    if (cache.size >= CACHE_LIMIT) cache = new Map();
    const key = detach(core);
    cache.set(key, masked === core ? key : detach(masked));
  }
  return masked;
}

/** `( [ { < =` before a token's core. */
function isLead(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60 || c === 61;
}

/** `) ] } > , ; : . ! ? =` after a token's core. */
function isTrail(c: number): boolean {
  return c === 41 || c === 93 || c === 125 || c === 62 || c === 44 || c === 59 || c === 58 || c === 46 || c === 33 || c === 63 || c === 61;
}

function maskToken(tok: string, flags: number): string {
  let a = 0;
  let b = tok.length;
  while (a < b && isLead(tok.charCodeAt(a))) a++;
  while (b > a && isTrail(tok.charCodeAt(b - 1))) b--;
  if (a === b) return tok;
  const whole = a === 0 && b === tok.length;
  const core = whole ? tok : tok.slice(a, b);
  const masked = maskCore(core, flags);
  if (masked === core) return tok;
  return whole ? masked : tok.slice(0, a) + masked + tok.slice(b);
}

/**
 * Split `line` at blanks (any control character or space) and mask every variable token.
 * Neighbouring timestamp parts (`Dec` `10` `06:55:46`) fold into one `<TS>`. `out` is reused
 * when given, so a caller mining millions of lines allocates no array per line.
 */
export function maskTokens(line: string, out: string[] = []): string[] {
  out.length = 0;
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c <= 32) {
      i++;
      continue;
    }
    const start = i;
    let flags = 0;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c <= 32) break;
      if (c <= 57) {
        if (c >= 48) flags |= HAS_DIGIT;
        else if (c === 47) flags |= HAS_SLASH;
        else if (c === 34 || c === 39) flags |= HAS_QUOTE;
      } else if (c === 92) flags |= HAS_SLASH;
      else if (c === 0x2018 || c === 0x201c) flags |= HAS_QUOTE;
      i++;
    }
    let tok = line.slice(start, i);
    if (flags !== 0) tok = maskToken(tok, flags);
    const prev = out.length > 0 ? out[out.length - 1] : undefined;
    if (tok === '<TS>' && prev !== undefined && (prev === '<TS>' || MONTHS.has(prev))) out[out.length - 1] = '<TS>';
    else if (tok === '<NUM>' && prev !== undefined && MONTHS.has(prev)) out[out.length - 1] = '<TS>';
    else out.push(tok);
  }
  return out;
}
