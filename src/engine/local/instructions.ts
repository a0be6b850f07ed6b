/**
 * What the local engine understands of a dream's free-text instructions. It cannot read prose,
 * so it honours only three explicit line forms and reports everything else as not honoured (the
 * dream's event log says so; the Claude engine reads the whole text):
 *
 *   focus: flaky tests, timeout     → findings whose title/body mention a term gain confidence
 *   exclude: npm WARN, deprecated   → findings whose title/body mention a term are dropped
 *   preserve: /facts/, node version → input memories under a path (a term starting with `/`) or
 *                                     whose title mentions a term are kept byte-identical
 *
 * Terms are comma-separated and matched case-insensitively as plain substrings (paths as
 * case-sensitive prefixes, as memory paths are case-sensitive).
 */
import type { Finding } from '../findings.ts';

export interface Directives {
  focus: string[];
  exclude: string[];
  preserve: string[];
}

export interface InstructionsReport {
  /** The directives the local engine applies, one line each (`focus: a, b`). */
  honored: string[];
  /** Non-empty lines of the instructions it cannot act on offline, verbatim (trimmed). */
  unhonored: string[];
}

// How much a focus match raises confidence (capped at 1).
const FOCUS_BOOST = 0.2;
const DIRECTIVE = /^\s*(?:[-*]\s*)?(focus|exclude|preserve)\s*:\s*(.*)$/i;

function terms(raw: string, keepCase: boolean): string[] {
  return raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => (keepCase && t.startsWith('/') ? t : t.toLowerCase()));
}

export function parseDirectives(instructions: string | null): Directives {
  const d: Directives = { focus: [], exclude: [], preserve: [] };
  if (!instructions) return d;
  for (const line of instructions.split('\n')) {
    const m = DIRECTIVE.exec(line);
    if (!m) continue;
    const kind = m[1]!.toLowerCase() as keyof Directives;
    d[kind].push(...terms(m[2]!, kind === 'preserve'));
  }
  return d;
}

/** Which parts of the instructions the local engine honours, and which it cannot offline. */
export function describeInstructions(instructions: string | null): InstructionsReport {
  const report: InstructionsReport = { honored: [], unhonored: [] };
  if (!instructions) return report;
  for (const line of instructions.split('\n')) {
    if (line.trim() === '') continue;
    const m = DIRECTIVE.exec(line);
    const kind = m?.[1]?.toLowerCase();
    const list = m ? terms(m[2]!, kind === 'preserve') : [];
    if (m && list.length > 0) report.honored.push(`${kind}: ${list.join(', ')}`);
    else report.unhonored.push(line.trim());
  }
  return report;
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

/** Whether an input memory is on the preserve list: kept byte-identical by the merger. */
export function isPreserved(path: string, title: string | null, preserve: readonly string[]): boolean {
  const lower = title?.toLowerCase() ?? '';
  return preserve.some((t) => (t.startsWith('/') ? path === t || path.startsWith(t.endsWith('/') ? t : `${t}/`) : lower.includes(t)));
}
