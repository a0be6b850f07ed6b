import { z } from 'zod';

/**
 * The grader's output, one zod schema per shape so the worker message, the evaluation files in
 * the dream folder and a model's tool output are all parsed the same way.
 */
export const CheckName = z.enum(['evidence', 'duplicates', 'contradictions', 'secrets', 'limits', 'format']);
export type CheckName = z.infer<typeof CheckName>;

export const GapAction = z.enum(['drop_evidence', 'drop_entry', 'merge_entries', 'redact', 'resolve_contradiction', 'trim', 'rewrite']);
export type GapAction = z.infer<typeof GapAction>;

/** One specific shortfall, addressed to the merger: which memory, what is wrong, what to do. */
export const Gap = z.object({
  criterion_id: z.string(),
  memory_path: z.string(),
  problem: z.string(),
  action: GapAction,
  /** For drop_evidence: the evidenceKey() of the evidence that does not verify. */
  evidence_key: z.string().optional(),
  /** For merge_entries / resolve_contradiction: the other memory involved. */
  other_path: z.string().optional(),
});
export type Gap = z.infer<typeof Gap>;

export const CriterionStatus = z.enum(['passed', 'failed', 'not_graded']);
export type CriterionStatus = z.infer<typeof CriterionStatus>;

export const CriterionResult = z.object({
  id: z.string(),
  title: z.string(),
  check: CheckName.nullable(),
  status: CriterionStatus,
  gaps: z.array(Gap),
  explanation: z.string(),
});
export type CriterionResult = z.infer<typeof CriterionResult>;

export const EvaluationResult = z.enum(['satisfied', 'needs_revision', 'max_iterations_reached', 'failed']);
export type EvaluationResult = z.infer<typeof EvaluationResult>;

export const Evaluation = z.object({
  result: EvaluationResult,
  iteration: z.number().int().positive(),
  criteria: z.array(CriterionResult),
  gaps: z.array(Gap),
  explanation: z.string(),
});
export type Evaluation = z.infer<typeof Evaluation>;

/** Map from evidenceKey() to the exact text the evidence points at (resolved by the coordinator). */
export const EvidenceTexts = z.record(z.string(), z.string());
export type EvidenceTexts = z.infer<typeof EvidenceTexts>;

/** A rubric criterion as parsed from Markdown. `check` is null when only a model can judge it. */
export const Criterion = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  check: CheckName.nullable(),
});
export type Criterion = z.infer<typeof Criterion>;

export const Rubric = z.object({ source: z.string(), criteria: z.array(Criterion).min(1) });
export type Rubric = z.infer<typeof Rubric>;
