/** The shapes the failure scanner produces: scanned lines, and ranges in rank order. */
import type { FailureCategory } from '../log-rules.ts';

export interface ScannedLine {
  line: number;
  /** Visible text (ANSI stripped, last `\r` frame, at most 4 KiB): what a quote is cut from. */
  visible: string;
  score: number;
  category: FailureCategory;
  weak: boolean;
  summary: boolean;
  boiler: boolean;
  /** The line's template also occurs in a passing run: discounted. */
  known: boolean;
  exitCode?: number;
  /** Which event held the line (null when scanning bare lines). */
  eventId: string | null;
}

export interface FailureRange {
  start: number;
  end: number;
  score: number;
  signature: string;
}

export interface RankedRange extends FailureRange {
  category: FailureCategory;
  /** The line the signature was taken from. */
  best: ScannedLine;
}
