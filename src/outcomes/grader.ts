import { cmpStr } from '../merger/canonical.ts';
import { parseMemory } from '../merger/parse.ts';
import type { StoreSnapshot } from '../merger/types.ts';
import { checkContradictions } from './checks/contradictions.ts';
import { checkDuplicates } from './checks/duplicates.ts';
import { checkEvidence } from './checks/evidence.ts';
import { checkFormat } from './checks/format.ts';
import { checkLimits } from './checks/limits.ts';
import { checkSecrets } from './checks/secrets.ts';
import type { Check, CheckContext, CheckOutcome } from './checks/types.ts';
import type { CheckName, CriterionResult, Evaluation, EvidenceTexts, Gap, Rubric } from './schema.ts';

export const CHECKS: Record<CheckName, Check> = {
  evidence: checkEvidence,
  duplicates: checkDuplicates,
  contradictions: checkContradictions,
  secrets: checkSecrets,
  limits: checkLimits,
  format: checkFormat,
};

export const NEEDS_MODEL = 'needs a model (offline engine)';

/**
 * The offline grader. It sees only the candidate, the rubric and the cited evidence texts. Each
 * criterion is graded on its own; one that maps to no mechanical check is reported not_graded,
 * never passed.
 */
export function grade(opts: { candidate: StoreSnapshot; rubric: Rubric; evidence: EvidenceTexts; iteration: number; maxIterations: number }): Evaluation {
  const { candidate, rubric, evidence, iteration, maxIterations } = opts;
  const sorted = [...candidate].sort((a, b) => cmpStr(a.path, b.path));
  const entries = sorted.flatMap((m) => {
    const e = parseMemory(m.path, m.content);
    return e ? [e] : [];
  });
  const ctx: CheckContext = { candidate: sorted, entries, evidence };
  const cache = new Map<CheckName, CheckOutcome>();

  const criteria: CriterionResult[] = rubric.criteria.map((c) => {
    if (c.check === null) return { id: c.id, title: c.title, check: null, status: 'not_graded', gaps: [], explanation: NEEDS_MODEL };
    let outcome = cache.get(c.check);
    if (!outcome) {
      outcome = CHECKS[c.check](ctx);
      cache.set(c.check, outcome);
    }
    const gaps: Gap[] = outcome.gaps.map((g) => ({ criterion_id: c.id, ...g }));
    return { id: c.id, title: c.title, check: c.check, status: gaps.length === 0 ? 'passed' : 'failed', gaps, explanation: outcome.explanation };
  });

  return decide(criteria, iteration, maxIterations);
}

/**
 * The evaluation's result from its criteria: satisfied when every graded criterion passed,
 * failed when nothing could be graded, else needs_revision until the last iteration.
 */
export function decide(criteria: CriterionResult[], iteration: number, maxIterations: number): Evaluation {
  const graded = criteria.filter((c) => c.status !== 'not_graded');
  const failed = graded.filter((c) => c.status === 'failed');
  const notGraded = criteria.length - graded.length;
  const gaps = dedupeGaps(criteria.flatMap((c) => c.gaps));
  const tail = notGraded > 0 ? ` ${notGraded} criterion(s) not graded: ${NEEDS_MODEL}.` : '';

  if (graded.length === 0) {
    return {
      result: 'failed',
      iteration,
      criteria,
      gaps: [],
      explanation: `The rubric does not fit the offline grader: none of its ${criteria.length} criteria maps to a mechanical check (evidence, duplicates, contradictions, secrets, limits, format), so nothing could be graded.`,
    };
  }
  if (failed.length === 0) {
    return { result: 'satisfied', iteration, criteria, gaps: [], explanation: `All ${graded.length} gradable criteria passed.${tail}` };
  }
  const summary = `${failed.length} of ${graded.length} gradable criteria failed with ${gaps.length} gap(s): ${failed.map((c) => c.title).join('; ')}.${tail}`;
  return {
    result: iteration < maxIterations ? 'needs_revision' : 'max_iterations_reached',
    iteration,
    criteria,
    gaps,
    explanation: summary,
  };
}

/** Two criteria mapped to one check report the same gaps; the merger needs each once. */
function dedupeGaps(gaps: Gap[]): Gap[] {
  const seen = new Set<string>();
  return gaps.filter((g) => {
    const k = JSON.stringify([g.memory_path, g.action, g.problem, g.evidence_key ?? null, g.other_path ?? null]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
