import { MAX_CONTENT_BYTES } from '../memory/limits.ts';
import { capQuote } from './canonical.ts';
import { buildEntry, DEFAULT_BUDGET, type QuoteBudget } from './build.ts';
import type { Node } from './nodes.ts';
import { renderMemory } from './render.ts';
import type { MemoryEntry } from './types.ts';
import type { FindingKind } from '../engine/findings.ts';

/**
 * Render a memory within the content limit. Each step gives up a little more: shorter quotes,
 * fewer quoted sessions, a shorter body, older history. The session list is the last thing cut,
 * and only when a memory has been seen in thousands of sessions.
 */
export function buildAndFit(path: string, kind: FindingKind, nodes: readonly Node[], warnings: string[]): { entry: MemoryEntry; content: string } {
  const steps: { budget: QuoteBudget; quoteChars: number; bodyChars: number; historyItems: number }[] = [
    { budget: DEFAULT_BUDGET, quoteChars: 300, bodyChars: Infinity, historyItems: Infinity },
    { budget: DEFAULT_BUDGET, quoteChars: 120, bodyChars: 4000, historyItems: 50 },
    { budget: { first: 1, last: 1, history: 1 }, quoteChars: 80, bodyChars: 1000, historyItems: 20 },
    { budget: { first: 1, last: 0, history: 1 }, quoteChars: 60, bodyChars: 400, historyItems: 5 },
  ];
  let entry: MemoryEntry | null = null;
  for (const [i, step] of steps.entries()) {
    entry = shrink(buildEntry(path, kind, nodes, step.budget), step);
    const content = renderMemory(entry);
    if (Buffer.byteLength(content, 'utf8') <= MAX_CONTENT_BYTES) {
      if (i > 0) warnings.push(`${path}: shortened to fit ${MAX_CONTENT_BYTES} bytes (quotes, body or history trimmed)`);
      return { entry, content };
    }
  }
  // Only a session list of thousands of ids is left too long: keep the quoted sessions and as many others as fit.
  const e = entry!;
  const quoted = new Set([...e.evidence, ...e.history.flatMap((h) => h.evidence)].map((x) => x.session_id));
  let keep = e.sessions.length;
  for (;;) {
    keep = Math.floor(keep * 0.9);
    const others = e.sessions.filter((s) => !quoted.has(s)).slice(0, keep);
    const otherSet = new Set(others);
    const sessions = e.sessions.filter((s) => quoted.has(s) || otherSet.has(s));
    const trimmed = { ...e, sessions, occurrences: sessions.length };
    const content = renderMemory(trimmed);
    if (Buffer.byteLength(content, 'utf8') <= MAX_CONTENT_BYTES) {
      warnings.push(`${path}: session list cut from ${e.sessions.length} to ${sessions.length} ids to fit ${MAX_CONTENT_BYTES} bytes`);
      return { entry: trimmed, content };
    }
  }
}

function shrink(e: MemoryEntry, step: { quoteChars: number; bodyChars: number; historyItems: number }): MemoryEntry {
  const cap = <T extends { quote: string }>(list: T[]): T[] => list.map((x) => ({ ...x, quote: capQuote(x.quote, step.quoteChars) }));
  const bodyCps = Array.from(e.body);
  return {
    ...e,
    body: bodyCps.length > step.bodyChars ? `${bodyCps.slice(0, step.bodyChars).join('').trimEnd()} …` : e.body,
    evidence: cap(e.evidence),
    history: e.history.slice(Math.max(0, e.history.length - step.historyItems)).map((h) => ({ ...h, evidence: cap(h.evidence) })),
  };
}
