import { redactSecrets } from '../sessions/redact.ts';

const MAX_EXCERPT = 200;

/**
 * A short, printable excerpt around [start, end) of `line`: secrets redacted, invisible
 * characters shown as `<U+XXXX>` so a reviewer sees what was hidden.
 */
export function excerptOf(raw: string, rawStart = 0, rawEnd = raw.length): string {
  // Redact the whole line first (a window could cut a token short of what its rule needs),
  // then move the window by how much redaction shortened the text before it.
  const line = redactSecrets(raw).text;
  const shift = (i: number) => Math.min(line.length, redactSecrets(raw.slice(0, i)).text.length);
  const start = shift(rawStart);
  const end = shift(rawEnd);
  const from = Math.max(0, start - 40);
  const to = Math.min(line.length, Math.max(end, start) + 40);
  let s = showHidden(line.slice(from, to));
  if (s.length > MAX_EXCERPT) s = s.slice(0, MAX_EXCERPT) + '…';
  return (from > 0 ? '…' : '') + s + (to < line.length ? '…' : '');
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): { line: number; start: number; text: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const endNl = text.indexOf('\n', offset);
  const end = endNl === -1 ? text.length : endNl;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) line++;
  return { line, start, text: text.slice(start, end) };
}

/** Invisible and control characters spelled `<U+XXXX>`, so a reviewer sees what was hidden. */
export function showHidden(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000B-\u001F\u007F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/gu,
    (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}
