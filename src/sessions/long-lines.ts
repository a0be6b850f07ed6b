/**
 * Pathological lines (a 50 MB minified bundle or base64 blob printed on one line) are cut at
 * ingest: the event keeps a short head and a visible note with the line's full size, the
 * original bytes stay untouched beside it. The head is short on purpose: head + note fit in one
 * evidence quote (engine/local/text.ts MAX_QUOTE), so a quote of the line shows the note and is
 * still a literal substring of the event text the grader checks it against.
 */

/** A line longer than this (UTF-16 units) is cut. Ordinary long lines (compiler commands) are far below. */
export const LONG_LINE_CHARS = 64 * 1024;
/** What is kept of a cut line. */
export const LONG_LINE_HEAD = 200;

/** ` … [line truncated: 52,428,800 bytes]` (bytes of the whole line in UTF-8). */
export function truncationNote(bytes: number): string {
  return ` … [line truncated: ${bytes.toLocaleString('en-US')} bytes]`;
}

/** The note's shape, for readers that want to know a line was cut. */
export const TRUNCATION_NOTE = / … \[line truncated: [\d,]+ bytes\]$/;

/** The first `max` UTF-16 units of `text`, never splitting a surrogate pair. */
export function headOf(text: string, max = LONG_LINE_HEAD): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
