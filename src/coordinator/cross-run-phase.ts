import type { RootPaths } from '../core/root.ts';
import { visibleText } from '../core/lines.ts';
import type { BatchFindings, Finding } from '../engine/findings.ts';
import { crossRunFindings, flagIncomplete, planCrossRun, type DiffLine, type TemplateDiff } from '../engine/local/cross-run.ts';
import { maskText } from '../engine/local/mask.ts';
import { quoteOf } from '../engine/local/text.ts';
import { readEvents } from '../sessions/store.ts';

// Bounds for diffing two logs: enough for real CI logs, safe for a 2 GB one.
const MAX_TEMPLATES = 200_000;
const MAX_DIFF_LINES = 5;

/** Masked templates of a build log, each with the first line that shows it. */
async function templatesOf(paths: RootPaths, sessionId: string): Promise<Map<string, DiffLine>> {
  const out = new Map<string, DiffLine>();
  for await (const ev of readEvents(paths, sessionId)) {
    if (ev.type !== 'log.lines' || !ev.source_lines) continue;
    const lines = ev.content.map((b) => b.text).join('\n').split('\n');
    for (const [i, raw] of lines.entries()) {
      if (out.size >= MAX_TEMPLATES) return out;
      const text = visibleText(raw.length > 4096 ? raw.slice(0, 4096) : raw).trim();
      // Lines without words (separators, bare numbers) say nothing about what changed.
      if ((text.match(/[A-Za-z]/g)?.length ?? 0) < 4) continue;
      const template = maskText(text);
      if (out.has(template)) continue;
      const n = ev.source_lines[0] + i;
      out.set(template, {
        template,
        evidence: { session_id: sessionId, event_id: ev.id, lines: [n, n], quote: quoteOf(text), observed_at: ev.processed_at },
      });
    }
  }
  return out;
}

async function diffRuns(paths: RootPaths, failId: string, passId: string): Promise<TemplateDiff> {
  const fail = await templatesOf(paths, failId);
  const pass = await templatesOf(paths, passId);
  const only = (a: Map<string, DiffLine>, b: Map<string, DiffLine>) =>
    [...a.values()].filter((d) => !b.has(d.template)).slice(0, MAX_DIFF_LINES);
  return { onlyInFail: only(fail, pass), onlyInPass: only(pass, fail) };
}

/**
 * Compare runs of the same job across all batches: flaky failures, failures that went away (with
 * what differed in the first passing run) and incomplete logs. Workers cannot do this: each sees
 * only its batch. Returns all findings to merge, the cross-run ones included.
 */
export async function crossRun(paths: RootPaths, batches: readonly BatchFindings[]): Promise<{ findings: Finding[]; added: Finding[] }> {
  const runs = batches.flatMap((b) => b.runs);
  const findings = flagIncomplete(batches.flatMap((b) => b.findings), runs);
  if (runs.length < 2 && runs.every((r) => r.incomplete === null)) return { findings, added: [] };
  const plan = planCrossRun(runs);
  const diffs = new Map<string, TemplateDiff>();
  for (const fix of plan.fixes) {
    const id = `${fix.lastFail.session_id}\0${fix.firstPass.session_id}`;
    if (!diffs.has(id)) diffs.set(id, await diffRuns(paths, fix.lastFail.session_id, fix.firstPass.session_id));
  }
  const added = crossRunFindings(plan, findings.filter((f) => f.kind === 'failure'), diffs);
  return { findings: [...findings, ...added], added };
}
