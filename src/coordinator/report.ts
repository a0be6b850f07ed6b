import type { BatchFindings } from '../engine/findings.ts';
import type { DreamRecord, Plan } from '../dreams/schema.ts';
import type { Consolidation } from './consolidate-phase.ts';
import { estimateCostUsd, type Usage } from '../llm/usage.ts';

/** The dream report: what went in, what the workers found, how the grader judged each iteration. */
export function renderReport(dream: DreamRecord, plan: Plan, batches: BatchFindings[], result: Consolidation, usage?: Usage): string {
  const out: string[] = [];
  const sessions = batches.reduce((n, b) => n + b.stats.sessions, 0);
  const findings = batches.reduce((n, b) => n + b.findings.length, 0);
  out.push(`# Dream ${dream.id}`, '');
  out.push(`- engine model: ${dream.model.id}`);
  out.push(`- strategy: ${plan.strategy}, ${plan.batches.length} batch(es), ${sessions} session(s)`);
  out.push(`- findings: ${findings}`);
  out.push(`- candidate memories: ${result.candidate.length}`);
  out.push(`- final evaluation: **${result.final.result}** after ${result.evaluations.length} iteration(s)`);
  const u = usage ?? dream.usage;
  const cost = estimateCostUsd(dream.model.id, u);
  out.push(
    `- model tokens: ${u.input_tokens} input, ${u.output_tokens} output, ${u.cache_creation_input_tokens} cache writes, ${u.cache_read_input_tokens} cache reads` +
      (dream.model.id === 'local' ? ' (the local engine calls no model)' : cost === null ? ' (no price known for this model)' : ` — about $${cost.toFixed(4)} at list prices`),
    '',
  );
  const byKind = new Map<string, number>();
  for (const f of batches.flatMap((b) => b.findings)) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  out.push('## Findings by kind', '');
  for (const [kind, n] of [...byKind].sort()) out.push(`- ${kind}: ${n}`);
  out.push('');
  const warnings = batches.flatMap((b) => b.warnings);
  if (warnings.length > 0) {
    out.push('## Warnings', '');
    for (const w of warnings) out.push(`- ${w.session_id ?? '(batch)'}: ${w.message}`);
    out.push('');
  }
  for (const e of result.evaluations) {
    out.push(`## Evaluation ${e.iteration}: ${e.result}`, '', e.explanation, '');
    out.push('| criterion | check | status | gaps |', '|---|---|---|---|');
    for (const c of e.criteria) out.push(`| ${c.title.replace(/\|/g, '\\|')} | ${c.check ?? '—'} | ${c.status} | ${c.gaps.length} |`);
    out.push('');
    for (const g of e.gaps.slice(0, 50)) out.push(`- ${g.criterion_id} · ${g.memory_path}: ${g.problem}`);
    if (e.gaps.length > 50) out.push(`- … and ${e.gaps.length - 50} more`);
    out.push('');
  }
  return out.join('\n');
}
