/**
 * Templates of passing runs (in the spirit of logreduce and LogSage): a line whose masked form
 * also appears in a passing run of the same job is not why this run failed, however alarming it
 * reads ("WARNING: deprecated", a flaky retry that recovers, a test that logs "error" on purpose).
 */
import { stripAnsi } from '../../../core/lines.ts';
import { cleanLine, MAX_CLASSIFIED } from '../log-rules.ts';
import { maskText } from '../mask.ts';

/** The template key of one line: its cleaned, visible, masked text (a bounded prefix of it). */
export function templateKey(visible: string): string {
  const head = visible.length > MAX_CLASSIFIED ? visible.slice(0, MAX_CLASSIFIED) : visible;
  return maskText(cleanLine(head));
}

/** Visible text of a raw line, from a bounded prefix: the last `\r` frame, ANSI removed. */
export function visiblePrefix(raw: string): string {
  const head = raw.length > MAX_CLASSIFIED ? raw.slice(0, MAX_CLASSIFIED) : raw;
  if (head.indexOf('\x1b') < 0 && head.indexOf('\r') < 0) return head;
  const frames = stripAnsi(head).split('\r');
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.trim() !== '') return frames[i]!;
  return frames[frames.length - 1] ?? '';
}

/**
 * The set of template keys of passing runs, built line by line so a caller can stream a big
 * passing log through it. Blank lines carry no template.
 */
export class KnownTemplates {
  private readonly keys = new Set<string>();
  // A passing log of millions of distinct lines must not grow memory without bound.
  private static readonly MAX_KEYS = 2_000_000;

  add(raw: string): void {
    if (this.keys.size >= KnownTemplates.MAX_KEYS) return;
    const key = templateKey(visiblePrefix(raw));
    if (key !== '') this.keys.add(key);
  }

  has(visible: string): boolean {
    return this.keys.size > 0 && this.keys.has(templateKey(visible));
  }

  get size(): number {
    return this.keys.size;
  }

  static of(runs: readonly (readonly string[])[]): KnownTemplates {
    const known = new KnownTemplates();
    for (const run of runs) for (const l of run) known.add(l);
    return known;
  }
}

/**
 * With a passing run, the logreduce view of a failing one: the lines whose template never occurs
 * in the passing run, kept only in or within `near` lines of a failure range (a new line far from
 * any failure is a changed version number or a new download, not the error). Blank lines count
 * only between two novel lines. Line numbers are 1-based indices into `lines`.
 */
export function novelLines(
  lines: readonly string[],
  known: KnownTemplates,
  ranges: readonly { start: number; end: number }[],
  near = 10,
): Set<number> {
  const out = new Set<number>();
  const blank = (l: number): boolean => (lines[l - 1] ?? '').trim() === '';
  for (const r of ranges) {
    const from = Math.max(1, r.start - near);
    const to = Math.min(lines.length, r.end + near);
    for (let l = from; l <= to; l++) {
      if (!out.has(l) && !blank(l) && !known.has(visiblePrefix(lines[l - 1]!))) out.add(l);
    }
  }
  // A blank line between two novel lines separates paragraphs of one message (a report, a
  // traceback and the exception raised while handling it): it belongs to the message.
  for (const l of [...out]) {
    if (!blank(l + 1)) continue;
    let next = l + 1;
    while (next <= lines.length && next - l <= 2 && blank(next)) next++;
    if (out.has(next)) for (let b = l + 1; b < next; b++) out.add(b);
  }
  return out;
}
