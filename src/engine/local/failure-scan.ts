/**
 * Failure ranges of a build log, computed in one streaming pass so a multi-gigabyte log never
 * sits in memory: each line is classified as it arrives (log-rules.ts, on a bounded prefix),
 * failure lines open or extend a block, the indented lines under a failure (stack frames, diffs,
 * "expected/actual") and the rest of its paragraph extend it as context, a list header ending in
 * ':' may be followed by a blank line, and a step that exits non-zero without any failure line is
 * explained by its last output (failure/tail.ts). At the end the blocks are ranked (failure/rank.ts).
 *
 *   push(line) ─► classify ─► open block ─► continuation ─► closed blocks (bounded) ─► finish(): rank
 *
 * Memory: a ring of a few recent lines, one open block, at most MAX_BLOCKS closed blocks each
 * keeping at most MAX_SIGNALS lines, and bounded lists of step starts and exits.
 */
import { classifyLine, cleanLine, FINAL_EXIT, isCommandEcho } from './log-rules.ts';
import { KnownTemplates, visiblePrefix } from './failure/known.ts';
import { rankBlocks, type Block } from './failure/rank.ts';
import { blockWeight, indentOf, mark, type OpenBlock } from './failure/block.ts';
import { StepTail } from './failure/tail.ts';
import type { RankedRange, ScannedLine } from './failure/types.ts';

export { distinctBySignature, signatureOf } from './failure/rank.ts';
export type { FailureRange, RankedRange, ScannedLine } from './failure/types.ts';

export interface ScannerOptions {
  /** Templates of passing runs of the same job; their lines are discounted. */
  known?: KnownTemplates;
}

// Failure lines with at most this many lines between them belong to one block.
const MAX_GAP = 3;
// How many lines above a failure may be its header ("1) test …", "Description:", `file:line`).
const LOOK_BACK = 6;
// Unindented lines of the failure's paragraph that still belong to it ("Reason: …", the rest of
// a PowerShell error record, "Package size: …"); they never stretch how far a join reaches.
const TRAILING = 8;
// A failure of the same kind this close after a block continues it (a list of failing tests).
const MERGE_GAP = 8;
// A block stops growing by continuation past this many lines (a 10,000-line dump is not context).
const MAX_BLOCK = 400;
const MAX_SIGNALS = 64;
const MAX_BLOCKS = 4_000;
const NON_BLANK = /\S/;
const ANNOUNCES = /:\s*$/;
// CI fold and timing markers, GitHub's group markers: never part of a step's output.
const CI_MARKER = /^travis_|^##\[/;

interface Recent {
  line: number;
  visible: string;
  clean: string;
  blank: boolean;
}

export class FailureScanner {
  private readonly blocks: Block[] = [];
  private readonly recent: Recent[] = [];
  private readonly commands: number[] = [];
  private readonly exits: number[] = [];
  private readonly known: KnownTemplates | undefined;
  private readonly tail = new StepTail();
  private open: OpenBlock | null = null;
  private total = 0;
  private lastExit: number | undefined;
  // Whether the current step (since the last command echo) printed a detailed failure yet.
  private stepExplained = false;

  constructor(opts: ScannerOptions = {}) {
    this.known = opts.known && opts.known.size > 0 ? opts.known : undefined;
  }

  /** Feed the next line (raw, ANSI kept). `lineNo` is its 1-based number in the original file. */
  push(raw: string, lineNo: number, eventId: string | null = null): void {
    this.total = Math.max(this.total, lineNo);
    const visible = visiblePrefix(raw);
    const clean = cleanLine(visible);
    const blank = !NON_BLANK.test(clean);
    if (!blank && isCommandEcho(clean)) {
      this.close();
      mark(this.commands, lineNo);
      this.stepExplained = false;
      this.tail.reset();
    } else if (!blank) {
      const signal = classifyLine(clean);
      if (CI_MARKER.test(clean) || (signal && (signal.boiler || signal.exitCode !== undefined))) this.tail.gap();
      else this.tail.content(lineNo, visible, clean);
      if (signal) this.onSignal({ line: lineNo, visible, clean, blank }, signal, eventId);
      else this.onPlain(lineNo, visible, clean);
    } else {
      this.tail.gap();
    }
    this.recent.push({ line: lineNo, visible, clean, blank });
    if (this.recent.length > LOOK_BACK + 2) this.recent.shift();
  }

  /** Lines seen so far (the highest line number pushed). */
  get lineCount(): number {
    return this.total;
  }

  /** The last non-zero exit status the log reports, if any. */
  get exitCode(): number | undefined {
    return this.lastExit;
  }

  /** Ranked failure ranges, best first. */
  finish(): RankedRange[] {
    this.close();
    return rankBlocks(this.blocks, { commands: this.commands, exits: this.exits, total: Math.max(this.total, 1) });
  }

  private onSignal(r: Recent, s: ReturnType<typeof classifyLine> & object, eventId: string | null): void {
    const known = this.known?.has(r.visible) ?? false;
    const scanned: ScannedLine = {
      line: r.line,
      visible: r.visible,
      score: known ? s.score * 0.2 : s.score,
      category: s.category,
      weak: s.weak || known,
      summary: s.summary ?? false,
      boiler: s.boiler ?? false,
      known,
      eventId,
    };
    if (s.exitCode !== undefined) {
      scanned.exitCode = s.exitCode;
      this.lastExit = s.exitCode;
      if (!FINAL_EXIT.test(r.clean)) {
        mark(this.exits, r.line);
        if (!this.stepExplained) {
          this.stepExplained = true;
          if (this.tailBlock(scanned)) return;
        }
      }
    } else if (!scanned.weak && !scanned.summary && !scanned.boiler) {
      this.stepExplained = true;
    }
    const open = this.open;
    // Epilogues ("npm ERR! …", "make: ***", "exited with 1") never join a failure's details, and
    // details never join an epilogue: each stays its own block, ranked on its own.
    const joins =
      open !== null &&
      (r.line - open.lastSignal <= MAX_GAP + 1 || (open.trailing === 0 && r.line - open.lastContent <= MAX_GAP + 1)) &&
      open.signals[0]!.boiler === scanned.boiler &&
      open.end - open.start < MAX_BLOCK;
    if (open && joins) {
      if (open.signals.length < MAX_SIGNALS) open.signals.push(scanned);
      open.strong += scanned.weak ? 0 : 1;
      open.end = r.line;
      open.lastContent = r.line;
      open.lastSignal = r.line;
      open.trailing = 0;
      open.cold = false;
      open.announces = ANNOUNCES.test(r.clean);
      return;
    }
    this.close();
    if (this.reopen(scanned)) return;
    this.open = {
      start: scanned.boiler ? r.line : this.headerStart(r.line),
      end: r.line,
      signals: [scanned],
      strong: scanned.weak ? 0 : 1,
      headIndent: indentOf(r.visible),
      lastContent: r.line,
      lastSignal: r.line,
      trailing: 0,
      cold: scanned.boiler,
      announces: ANNOUNCES.test(r.clean),
    };
  }

  /**
   * Test runners and linters list their failures one after another, a blank line or two apart:
   * a detailed failure of the same category right after the previous block continues that list.
   */
  private reopen(s: ScannedLine): boolean {
    const prev = this.blocks[this.blocks.length - 1];
    if (!prev || s.boiler || s.weak || s.summary || s.line - prev.end > MERGE_GAP) return false;
    const head = prev.signals.find((x) => !x.weak && !x.summary && !x.boiler);
    if (!head || head.category !== s.category || prev.end - prev.start >= MAX_BLOCK) return false;
    this.blocks.pop();
    if (prev.signals.length < MAX_SIGNALS) prev.signals.push(s);
    this.open = {
      ...prev,
      end: s.line,
      strong: prev.strong + 1,
      headIndent: indentOf(head.visible),
      lastContent: s.line,
      lastSignal: s.line,
      trailing: 0,
      cold: false,
      announces: ANNOUNCES.test(s.visible),
    };
    return true;
  }

  /**
   * A step that exits non-zero without printing any failure line ("Please commit all changes",
   * a test script that only reports its status): its last line of output and the exit line are
   * all there is to show, so they become a block of their own.
   */
  private tailBlock(exit: ScannedLine): boolean {
    this.close();
    // The epilogue just closed ("npm ERR! …") is not a floor: the output above it is the tail.
    let floor = 0;
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i]!;
      if (!b.signals.every((x) => x.boiler)) {
        floor = b.end;
        break;
      }
    }
    const t = this.tail.range(floor);
    if (!t) return false;
    const tail: ScannedLine = { ...exit, line: t.line, visible: t.visible, score: 3, weak: false, boiler: false, known: this.known?.has(t.visible) ?? false };
    delete tail.exitCode;
    // The exit line right under the output (blank lines and CI markers apart) says which command it was.
    const adjacent = exit.line - t.end <= 3;
    this.blocks.push({ start: t.start, end: adjacent ? exit.line : t.end, signals: adjacent ? [tail, exit] : [tail], strong: 1 });
    return true;
  }

  /** A line with no failure word: context of the open block when indented under it or right after it. */
  private onPlain(lineNo: number, visible: string, clean: string): void {
    const open = this.open;
    if (!open || open.cold || open.end - open.start >= MAX_BLOCK) return;
    if (/^travis_|^##\[/.test(clean)) return;
    const deeper = indentOf(visible) > open.headIndent;
    if (deeper && lineNo - open.lastContent <= 2) {
      open.announces = ANNOUNCES.test(clean);
      open.end = lineNo;
      open.lastContent = lineNo;
      return;
    }
    // A line ending in ':' announces a list ("Offenses:", "Failures:"): one blank line may follow it.
    const gap = lineNo - open.lastContent;
    if ((gap === 1 || (gap === 2 && open.announces)) && open.trailing < TRAILING) {
      open.announces = ANNOUNCES.test(clean);
      open.trailing++;
      open.end = lineNo;
      open.lastContent = lineNo;
      return;
    }
    open.cold = true;
  }

  /**
   * Where a block opened at `line` starts: the non-blank lines right above it (back to a blank
   * line, a command echo or another block) are its header. One blank line is crossed when the
   * line above it is a caret marker (`^^^`): a compiler or interpreter quoting the bad code.
   */
  private headerStart(line: number): number {
    const floor = this.blocks.length > 0 ? this.blocks[this.blocks.length - 1]!.end : 0;
    let start = line;
    for (let i = this.recent.length - 1; i >= 0 && line - this.recent[i]!.line <= LOOK_BACK; i--) {
      const r = this.recent[i]!;
      if (r.line <= floor || r.line !== start - 1) break;
      if (r.blank) {
        const above = this.recent[i - 1];
        if (above && !above.blank && /^\s*(?:\^[\s^~]*|\d+\)\s*)$/.test(above.clean)) {
          start = r.line;
          continue;
        }
        break;
      }
      if (isCommandEcho(r.clean) || /^travis_|^##\[|^\s*[.·]{3,}\s*$|^The command ".*" exited with 0/.test(r.clean)) break;
      start = r.line;
    }
    return start;
  }

  private close(): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const { headIndent: _h, lastContent: _l, lastSignal: _s, trailing: _t, cold: _c, announces: _a, ...block } = open;
    this.blocks.push(block);
    if (this.blocks.length > MAX_BLOCKS) {
      // Keep the strongest blocks (later first among equals): the weakest are noise on a huge log.
      this.blocks.sort((a, b) => blockWeight(b) - blockWeight(a) || b.start - a.start);
      this.blocks.length = Math.floor(MAX_BLOCKS / 2);
      this.blocks.sort((a, b) => a.start - b.start);
    }
  }
}
