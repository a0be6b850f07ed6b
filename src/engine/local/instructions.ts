/**
 * What the local engine understands of a dream's free-text instructions. It cannot read prose,
 * so it honours only two explicit line forms and ignores everything else (the Claude engine
 * reads the whole text):
 *
 *   focus: flaky tests, timeout     → findings whose title/body mention a term gain confidence
 *   exclude: npm WARN, deprecated   → findings whose title/body mention a term are dropped
 *
 * Terms are comma-separated and matched case-insensitively as plain substrings.
 */
import type { Finding } from '../findings.ts';

export interface Directives {
  focus: string[];
  exclude: string[];
}

// How much a focus match raises confidence (capped at 1).
const FOCUS_BOOST = 0.2;

export function parseDirectives(instructions: string | null): Directives {
  const d: Directives = { focus: [], exclude: [] };
  if (!instructions) return d;
  for (const line of instructions.split('\n')) {
    const m = /^\s*(?:[-*]\s*)?(focus|exclude)\s*:\s*(.+)$/i.exec(line);
    if (!m) continue;
    const terms = m[2]!
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '');
    d[m[1]!.toLowerCase() as keyof Directives].push(...terms);
  }
  return d;
}

export function applyDirectives(findings: Finding[], d: Directives): Finding[] {
  if (d.focus.length === 0 && d.exclude.length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const text = `${f.title}\n${f.body}`.toLowerCase();
    if (d.exclude.some((t) => text.includes(t))) continue;
    const focused = d.focus.some((t) => text.includes(t));
    out.push(focused ? { ...f, confidence: Math.min(1, Math.round((f.confidence + FOCUS_BOOST) * 100) / 100) } : f);
  }
  return out;
}
