/**
 * The last output of a step, tracked line by line in constant memory. A step that exits non-zero
 * without printing a single failure line (a formatter printing the diff it wants applied, a
 * linter listing problems in its own words, "Please commit all changes") is explained by what it
 * printed last: the paragraph right above its epilogue, or — when the step announced a section
 * with a banner line (`=====`, `-----`) — the whole last section.
 */

// A paragraph this long is a stream of routine output (a task runner's log), not a message:
// only its last line, the one the step ended on, explains the exit.
const MAX_PARAGRAPH = 20;
// A banner section longer than this is the step's whole output, not what went wrong.
const MAX_SECTION = 1_000;
// A line of one repeated punctuation character: a tool's section separator.
const BANNER = /^\s*([=\-*#~_+])\1{9,}\s*$/;

export function isBanner(clean: string): boolean {
  return clean.length >= 10 && BANNER.test(clean);
}

export interface TailRange {
  start: number;
  end: number;
  /** The line that names it: the section's first line, or the paragraph's last. */
  line: number;
  visible: string;
}

export class StepTail {
  // The current run of content lines, and the one before it (a blank line or an epilogue ends a run).
  private run: TailRange | null = null;
  private previous: TailRange | null = null;
  // The last banner of the step and the first content line after it.
  private banner = 0;
  private afterBanner: { line: number; visible: string } | null = null;

  /** A command echo: a new step starts. */
  reset(): void {
    this.run = null;
    this.previous = null;
    this.banner = 0;
    this.afterBanner = null;
  }

  /** A line of ordinary output (not blank, not an epilogue, not a CI marker). */
  content(line: number, visible: string, clean: string): void {
    if (isBanner(clean)) {
      this.banner = line;
      this.afterBanner = null;
      this.gap();
      return;
    }
    if (this.banner > 0 && this.afterBanner === null) this.afterBanner = { line, visible };
    if (this.run && this.run.end === line - 1) {
      this.run.end = line;
      this.run.line = line;
      this.run.visible = visible;
    } else {
      if (this.run) this.previous = this.run;
      this.run = { start: line, end: line, line, visible };
    }
  }

  /** A blank line, a CI marker or an epilogue line: the current run ends. */
  gap(): void {
    if (this.run) {
      this.previous = this.run;
      this.run = null;
    }
  }

  /** The step's last output, after `floor` (the end of the previous block); null when there is none. */
  range(floor: number): TailRange | null {
    const last = this.run ?? this.previous;
    if (!last || last.end <= floor) return null;
    const after = this.afterBanner;
    if (after && this.banner > floor && after.line <= last.start && last.end - after.line < MAX_SECTION) {
      return { start: after.line, end: last.end, line: after.line, visible: after.visible };
    }
    const start = Math.max(last.end - last.start >= MAX_PARAGRAPH ? last.end : last.start, floor + 1);
    return { start, end: last.end, line: last.line, visible: last.visible };
  }
}
