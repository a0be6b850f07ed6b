import { stripAnsi } from '../core/lines.ts';

/**
 * Timestamps at the start of a log line, for a build log's started_at/ended_at and each chunk's
 * processed_at. Recognized prefixes (optionally after ANSI codes and one `[`):
 *   ISO 8601            2024-01-02T03:04:05Z, 2024-01-02T03:04:05.123+02:00
 *   space-separated     2024-01-02 03:04:05, 2015-10-18 18:01:47,978
 *   GitHub Actions      2024-01-02T03:04:05.1234567Z <text>
 *   syslog              Dec 10 06:55:46  — has no year, so it is recognized but yields null
 * A timestamp without a zone is taken as UTC: a log rarely says its zone, and reading it in the
 * importing machine's zone would make the same file import differently on two machines.
 */
const ISO_PREFIX =
  /^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?(?![\d])/;
const SYSLOG_PREFIX =
  /^\[?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d{2}:\d{2}:\d{2}\b/;

export type TimestampMatch = { kind: 'iso'; iso: string } | { kind: 'syslog' } | null;

export function parseLineTimestamp(line: string): TimestampMatch {
  // Cheap reject first: almost every line either starts with a digit/`[`/month or has no stamp.
  let text = line.length > 0 && line.charCodeAt(0) === 0x1b ? stripAnsi(line.slice(0, 200)) : line;
  if (text.length < 15) return null;
  const c = text.charCodeAt(0);
  if (c === 0x5b /* [ */ || (c >= 0x30 && c <= 0x39)) {
    const m = ISO_PREFIX.exec(text);
    if (!m) return null;
    const iso = toIso(m);
    return iso ? { kind: 'iso', iso } : null;
  }
  text = text.slice(0, 20);
  return SYSLOG_PREFIX.test(text) ? { kind: 'syslog' } : null;
}

function toIso(m: RegExpExecArray): string | null {
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const frac = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, Number(frac));
  const check = new Date(ms);
  // Reject impossible dates (2024-13-45) instead of letting Date roll them over.
  if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 60)
    return null;
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return new Date(ms - offsetMin * 60_000).toISOString();
}
