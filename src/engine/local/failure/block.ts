/** A failure block while the scanner is still growing it, and the small helpers around blocks. */
import type { Block } from './rank.ts';

const MAX_MARKS = 10_000;

export interface OpenBlock extends Block {
  headIndent: number;
  lastContent: number;
  /** The last failure line: unindented trailing lines do not stretch how far a join may reach. */
  lastSignal: number;
  trailing: number;
  cold: boolean;
  /** The last line of the block ends in ':': what it announces may follow a blank line. */
  announces: boolean;
}

/** A block's best line score: what survives when a huge log has too many blocks. */
export function blockWeight(b: Block): number {
  let best = 0;
  for (const s of b.signals) if (s.score > best) best = s.score;
  return best;
}

/** Leading whitespace width, a tab counting 4: what tells a detail line from its head. */
export function indentOf(s: string): number {
  let n = 0;
  for (const ch of s) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 4;
    else break;
  }
  return n;
}

/** Append a line mark, dropping the oldest half when the list is full (bounded memory). */
export function mark(list: number[], line: number): void {
  list.push(line);
  if (list.length > MAX_MARKS) list.splice(0, list.length - MAX_MARKS / 2);
}
