import { diffLines } from 'diff';
import type { Evidence } from '../engine/findings.ts';
import { parseMemory } from '../merger/parse.ts';
import type { HistoryItem, Seen } from '../merger/types.ts';
import { comparePaths } from '../memory/paths.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';

/** One line of a memory's line diff, numbered in the old and/or the new content. */
export interface DiffLine {
  op: 'same' | 'add' | 'del';
  old: number | null;
  new: number | null;
  text: string;
}

export interface SupersededValue {
  value: string;
  last_seen: Seen;
  evidence: Evidence[];
  /** True when this dream superseded it (the value is not in the input memory's history). */
  new: boolean;
}

export interface MemoryChange {
  path: string;
  status: 'added' | 'removed' | 'changed';
  title: string | null;
  kind: string | null;
  added_lines: number;
  removed_lines: number;
  lines: DiffLine[];
  /** Evidence the memory cites now (for a removed memory: what it cited before). */
  evidence: Evidence[];
  superseded: SupersededValue[];
}

export interface StoreDiff {
  changes: MemoryChange[];
  unchanged: number;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A full line diff (every line, numbered): the page folds long unchanged runs itself. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const out: DiffLine[] = [];
  let o = 1;
  let n = 1;
  for (const part of diffLines(before, after)) {
    for (const text of splitLines(part.value)) {
      if (part.added) out.push({ op: 'add', old: null, new: n++, text });
      else if (part.removed) out.push({ op: 'del', old: o++, new: null, text });
      else out.push({ op: 'same', old: o++, new: n++, text });
    }
  }
  return out;
}

function superseded(before: HistoryItem[], after: HistoryItem[]): SupersededValue[] {
  const known = new Set(before.map((h) => h.value));
  return after.map((h) => ({ value: h.value, last_seen: h.last_seen, evidence: h.evidence, new: !known.has(h.value) }));
}

/**
 * Per memory, what changed from `before` to `after`: status, a numbered line diff, the evidence
 * cited and the values superseded (read back from the memory's `## History`). Memories that do not
 * follow the dreamwork format (hand-written notes) still diff; they just have no parsed parts.
 */
export function diffSnapshots(before: StoreSnapshot, after: StoreSnapshot): StoreDiff {
  const old = new Map(before.map((m) => [m.path, m.content]));
  const neu = new Map(after.map((m) => [m.path, m.content]));
  const paths = [...new Set([...old.keys(), ...neu.keys()])].sort(comparePaths);
  const changes: MemoryChange[] = [];
  let unchanged = 0;
  for (const path of paths) {
    const a = old.get(path);
    const b = neu.get(path);
    if (a === b) {
      unchanged++;
      continue;
    }
    const pa = a === undefined ? null : parseMemory(path, a);
    const pb = b === undefined ? null : parseMemory(path, b);
    const lines = lineDiff(a ?? '', b ?? '');
    const shown = pb ?? pa;
    changes.push({
      path,
      status: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
      title: shown?.title ?? null,
      kind: shown?.kind ?? null,
      added_lines: lines.filter((l) => l.op === 'add').length,
      removed_lines: lines.filter((l) => l.op === 'del').length,
      lines,
      evidence: shown?.evidence ?? [],
      superseded: b === undefined ? [] : superseded(pa?.history ?? [], pb?.history ?? []),
    });
  }
  return { changes, unchanged };
}
