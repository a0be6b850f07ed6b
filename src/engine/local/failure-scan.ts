/**
 * Failure ranges of a build log, computed in one streaming pass so a multi-gigabyte log never
 * sits in memory: each line is classified as it arrives (log-rules.ts), only failure lines and
 * a few lines of look-back are kept, and at the end adjacent failure lines are grouped into
 * ranges, scored and ranked.
 *
 *   push(line) ─► classify ─► candidate lines (bounded) ─► finish(): group ─► score ─► rank
 */
import { visibleText } from '../../core/lines.ts';
import { classifyLine, cleanLine, FINAL_EXIT, isCommandEcho, type FailureCategory } from './log-rules.ts';
import { maskText } from './mask.ts';

export interface ScannedLine {
  line: number;
  /** Visible text (ANSI stripped, last `\r` frame): what a quote is cut from. */
  visible: string;
  score: number;
  category: FailureCategory;
  weak: boolean;
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

// Lines with at most this many silent lines between them belong to one failure.
const MAX_GAP = 3;
// How far before a failure its header ("1) test …", "Failure:", the file:line a compiler quotes)
// may start its range; the look-back stops at a blank line or a command echo.
const LOOK_BACK = 6;
// Bound on kept candidates; beyond it the earliest are dropped (late lines rank higher anyway).
const MAX_CANDIDATES = 20_000;
// An exit-status line promotes the failure lines just before it.
const EXIT_WINDOW = 40;
// Bound on remembered command echoes (step starts); only the latest matter for ranking.
const MAX_COMMANDS = 10_000;

interface Context {
  line: number;
  visible: string;
}

export class FailureScanner {
  private readonly candidates: ScannedLine[] = [];
  private readonly headers = new Map<number, Context>();
  private readonly recent: Context[] = [];
  private readonly commands: number[] = [];
  private total = 0;
  private lastCandidate = -Infinity;

  /** Feed the next line (raw, ANSI kept). `lineNo` is its 1-based number in the original file. */
  push(raw: string, lineNo: number, eventId: string | null = null): void {
    this.total = Math.max(this.total, lineNo);
    const visible = visibleText(raw);
    const clean = cleanLine(visible);
    if (isCommandEcho(clean)) {
      this.commands.push(lineNo);
      if (this.commands.length > MAX_COMMANDS) this.commands.shift();
    }
    const signal = classifyLine(clean);
    if (signal) {
      if (lineNo - this.lastCandidate > MAX_GAP + 1) {
        // A new failure starts here: the lines right before it, back to a blank line or a
        // command echo, may be its header.
        for (let i = this.recent.length - 1; i >= 0; i--) {
          const c = this.recent[i]!;
          if (c.visible.trim() === '' || isCommandEcho(cleanLine(c.visible))) break;
          this.headers.set(c.line, c);
        }
      }
      this.candidates.push({ line: lineNo, visible, ...signal, eventId });
      this.lastCandidate = lineNo;
      if (this.candidates.length > MAX_CANDIDATES) this.prune();
    }
    this.recent.push({ line: lineNo, visible });
    if (this.recent.length > LOOK_BACK) this.recent.shift();
  }

  /** Lines seen so far (the highest line number pushed). */
  get lineCount(): number {
    return this.total;
  }

  /** The last non-zero exit status the log reports, if any. */
  get exitCode(): number | undefined {
    for (let i = this.candidates.length - 1; i >= 0; i--) {
      const code = this.candidates[i]!.exitCode;
      if (code !== undefined) return code;
    }
    return undefined;
  }

  /** Ranked failure ranges, best first; ties by position (later first). */
  finish(): RankedRange[] {
    const groups = this.group();
    // Step ends: non-zero exit statuses, except the CI's final summary of the whole build.
    const exits = this.candidates
      .filter((c) => c.exitCode !== undefined && !FINAL_EXIT.test(cleanLine(c.visible)))
      .map((c) => c.line);
    const ranked = groups.map((g) => this.rank(g, exits, this.commands));
    ranked.sort((a, b) => b.score - a.score || b.start - a.start);
    return ranked;
  }

  private prune(): void {
    const drop = Math.floor(MAX_CANDIDATES / 4);
    this.candidates.splice(0, drop);
    const first = this.candidates[0]?.line ?? 0;
    for (const line of this.headers.keys()) if (line < first) this.headers.delete(line);
  }

  private group(): ScannedLine[][] {
    const groups: ScannedLine[][] = [];
    let current: ScannedLine[] = [];
    for (const c of this.candidates) {
      const prev = current[current.length - 1];
      if (prev && c.line - prev.line > MAX_GAP + 1) {
        groups.push(current);
        current = [];
      }
      current.push(c);
    }
    if (current.length > 0) groups.push(current);
    // A group made only of weak lines (frames, boilerplate) is kept: it may be all there is.
    return groups;
  }

  private rank(group: ScannedLine[], exits: number[], commands: number[]): RankedRange {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const strong = group.filter((c) => !c.weak);
    const pool = strong.length > 0 ? strong : group;
    // Best line: highest score; among equals the one that says more (more words once masked),
    // then the first, which usually names the failure. Only the first lines are weighed.
    let best = pool[0]!;
    let bestWords = wordCount(maskText(best.visible));
    for (const c of pool.slice(1, 200)) {
      if (c.score < best.score) continue;
      const words = wordCount(maskText(c.visible));
      if (c.score > best.score || Math.min(words, 8) > Math.min(bestWords, 8)) {
        best = c;
        bestWords = words;
      }
    }

    const total = Math.max(this.total, 1);
    const position = last.line / total;
    const nextExit = exits.find((e) => e >= last.line);
    const beforeExit = nextExit !== undefined && nextExit - last.line <= EXIT_WINDOW;
    // The output of the step that failed: no new command starts between the group and the
    // next non-zero exit status. Output of later steps (after_failure dumps) gets no bonus.
    const failingStep = nextExit !== undefined && !commands.some((c) => c > last.line && c < nextExit);
    const support = Math.min(4, strong.length - 1) * 0.4;
    const score =
      best.score * (1 + 0.5 * position * position) +
      (beforeExit ? 1.5 : 0) +
      (failingStep ? 2.5 : 0) +
      Math.max(0, support);

    // Start at the earliest header-like line of the unbroken lines just before the group.
    let start = first.line;
    for (let l = first.line - 1; l >= first.line - LOOK_BACK; l--) {
      const h = this.headers.get(l);
      if (!h) break;
      if (isHeaderLike(cleanLine(h.visible))) start = l;
    }
    return {
      start,
      end: last.line,
      score: Math.round(score * 100) / 100,
      signature: signatureOf(best, group),
      category: best.category,
      best,
    };
  }
}

/**
 * Lines that introduce a failure without being one: "1) test …", "Failure:", a test or file
 * name alone, the `file:line` a compiler or interpreter quotes before the error.
 */
export function isHeaderLike(line: string): boolean {
  const t = line.trim();
  return (
    /:\s*$/.test(t) ||
    /^\d+\)\s/.test(t) ||
    /^\d+\)$/.test(t) ||
    /\S\.\w{1,6}:\d+/.test(t) ||
    /^(?:Description|Context|Test|Running|Error|Failure|Failed)\b/i.test(t) ||
    /^[\w.$:-]+$/.test(t)
  );
}

/** Words of a signature that are not placeholders: how much it says on its own. */
function wordCount(sig: string): number {
  return sig.replace(/<[A-Z]+>/g, ' ').split(/[^A-Za-z]+/).filter((w) => w.length >= 3).length;
}

/**
 * The masked, cleaned text of the best line. A bare "ERROR" or "Failure:" says nothing, so the
 * next lines of the group are appended until the signature names something.
 */
export function signatureOf(best: ScannedLine, group: ScannedLine[]): string {
  let sig = stripLead(maskText(cleanLine(best.visible)));
  if (wordCount(sig) < 2) {
    for (const c of group) {
      if (c.line <= best.line) continue;
      const more = stripLead(maskText(cleanLine(c.visible)));
      if (more === '') continue;
      sig = sig === '' ? more : `${sig} ${more}`;
      if (wordCount(sig) >= 2) break;
    }
  }
  return sig.length > 200 ? sig.slice(0, 200) : sig;
}

// Leading timestamps and log-level decorations vary between runs and tools, not between failures.
function stripLead(sig: string): string {
  return sig.replace(/^(?:(?:<TS>|<NUM>|\[<TS>\]|\[<NUM>\])[\s:,-]*)+/, '').trim();
}

/**
 * The pure form used by the eval and `dream logs failure`: ranked failure ranges of a log given
 * as its lines (as splitLines returns them). Line numbers are 1-based indices into `lines`.
 */
export function failureRanges(lines: string[], opts: { max?: number } = {}): FailureRange[] {
  const scanner = new FailureScanner();
  lines.forEach((l, i) => scanner.push(l, i + 1));
  return distinctBySignature(scanner.finish())
    .slice(0, opts.max ?? 5)
    .map(({ start, end, score, signature }) => ({ start, end, score, signature }));
}

/** Ranked ranges with one range per signature (the best-ranked one): a retried step repeats. */
export function distinctBySignature<T extends FailureRange>(ranked: T[]): T[] {
  const seen = new Set<string>();
  return ranked.filter((r) => {
    if (seen.has(r.signature)) return false;
    seen.add(r.signature);
    return true;
  });
}
