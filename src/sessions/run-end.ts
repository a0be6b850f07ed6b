import { visibleText } from '../core/lines.ts';

/**
 * Does a build log say how its run ended? CI systems print a final status or exit line when a
 * run finishes; a log that stops without one, mid-line, was cut off (a killed runner, a copy
 * taken while the job was still writing). Such a log is flagged `partial`, so its failures are
 * not counted as if the run had been seen whole.
 */
const FINAL_STATUS = [
  /exited with (?:code |status )?-?\d+/i, // Travis "Done. Your build exited with 1.", GitHub "exited with code 1"
  /\bexit (?:code|status)\b[:= ]*-?\d+/i, // "Process completed with exit code 1", "ERROR: Job failed: exit code 1"
  /\bBUILD (?:SUCCESS(?:FUL)?|FAILURE|FAILED)\b/, // Maven, Gradle
  /^Finished: (?:SUCCESS|FAILURE|UNSTABLE|ABORTED|NOT_BUILT)\b/, // Jenkins
  /\bJob (?:succeeded|failed)\b/, // GitLab
  /\bDone in \d+(?:\.\d+)?m?s\b/, // yarn
  /^=+ .*\b(?:passed|failed|error|errors)\b.* in \d+(?:\.\d+)?s/, // pytest summary
  /\b(?:Tests|Test Suites):\s+.*\btotal\b/, // jest summary
  /\bnpm ERR! code \w+/, // npm gave up
];

/** How many of the last lines are searched for a final status (runners print a little after it). */
export const RUN_END_WINDOW = 30;

/** Keeps the last lines of a log and tells whether one of them is a final status. */
export class RunEndTracker {
  private readonly ring: string[] = new Array<string>(RUN_END_WINDOW).fill('');
  private seen = 0;

  push(line: string): void {
    // Only the head of a line matters for these patterns; a 64 KiB line is not kept whole.
    this.ring[this.seen++ % RUN_END_WINDOW] = line.length > 400 ? line.slice(0, 400) : line;
  }

  /** The final status line, as seen on a terminal, or null when the log never says how it ended. */
  finalStatus(): string | null {
    for (let k = 1; k <= Math.min(this.seen, RUN_END_WINDOW); k++) {
      const text = visibleText(this.ring[(this.seen - k) % RUN_END_WINDOW]!).trim();
      if (FINAL_STATUS.some((re) => re.test(text))) return text;
    }
    return null;
  }
}
