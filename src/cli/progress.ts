/**
 * Progress on stderr: one self-rewriting line on a terminal, plain lines otherwise (CI logs),
 * nothing with --quiet.
 */
export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastLength = 0;
  constructor(private readonly quiet: boolean) {}

  update(text: string): void {
    if (this.quiet) return;
    if (this.tty) {
      const pad = Math.max(0, this.lastLength - text.length);
      process.stderr.write(`\r${text}${' '.repeat(pad)}`);
      this.lastLength = text.length;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  /** A line that stays (phase changes, results). */
  line(text: string): void {
    if (this.quiet) return;
    if (this.tty && this.lastLength > 0) process.stderr.write('\n');
    this.lastLength = 0;
    process.stderr.write(`${text}\n`);
  }
}
