/**
 * Line numbering used everywhere (evidence, provenance, `dream logs`): 1-based, a line ends at
 * `\n`, a `\r` right before `\n` belongs to the line ending, a lone `\r` is content — the way
 * `grep -n` counts. A final line without `\n` still counts; an empty tail after the last `\n` does not.
 */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** ANSI escape sequences (colours, cursor moves) that CI logs carry. */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(line: string): string {
  return line.replace(ANSI, '');
}

/** What a person sees on a terminal: ANSI removed, and for a line rewritten with lone `\r`, the last frame. */
export function visibleText(line: string): string {
  const plain = stripAnsi(line);
  const frames = plain.split('\r');
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.trim() !== '') return frames[i]!;
  return frames[frames.length - 1] ?? '';
}
