/**
 * The grader on Claude: mechanical criteria are still checked by code (grade()); the criteria
 * only a model can judge go to the grader agent in one structured call. Its request holds the
 * rubric, the candidate store and the cited evidence — nothing from the extractors' or the
 * merger's conversations, which it never sees.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { callStructured } from '../llm/structured.ts';
import { ZERO_USAGE, type Usage } from '../llm/usage.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import type { AgentDefinition } from './agents.ts';
import { decide, grade } from './grader.ts';
import type { CriterionResult, Evaluation, EvidenceTexts, Rubric } from './schema.ts';

const ModelGrades = z.object({
  criteria: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['passed', 'failed']),
      explanation: z.string().max(2000),
      gaps: z.array(z.object({ memory_path: z.string(), problem: z.string().max(1000) })).max(50),
    }),
  ),
});

const MAX_MEMORY_CHARS = 4000;
const MAX_EVIDENCE = 200;

export function graderRequest(rubric: Rubric, ungraded: CriterionResult[], candidate: StoreSnapshot, evidence: EvidenceTexts): string {
  const criteria = rubric.criteria.filter((c) => ungraded.some((u) => u.id === c.id));
  const memories = candidate.map((m) => `=== ${m.path}\n${m.content.length > MAX_MEMORY_CHARS ? `${m.content.slice(0, MAX_MEMORY_CHARS)}\n… [cut]` : m.content}`);
  const cited = Object.entries(evidence)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, MAX_EVIDENCE)
    .map(([k, text]) => `--- ${k}\n${text.slice(0, 600)}`);
  return [
    '## Criteria to grade (each independently)',
    ...criteria.map((c) => `### ${c.id}: ${c.title}\n${c.text}`),
    '',
    '## Candidate memory store',
    ...memories,
    '',
    '## Cited evidence (what each memory quotes, resolved from the sessions)',
    ...cited,
    '',
    'Grade every criterion above with record_grades: passed or failed, an explanation, and for a failure the specific gaps (memory path and problem).',
  ].join('\n');
}

export async function gradeWithModel(opts: {
  client: Anthropic;
  agent: AgentDefinition;
  model?: string;
  candidate: StoreSnapshot;
  rubric: Rubric;
  evidence: EvidenceTexts;
  iteration: number;
  maxIterations: number;
}): Promise<{ evaluation: Evaluation; usage: Usage }> {
  const base = grade(opts);
  const ungraded = base.criteria.filter((c) => c.status === 'not_graded');
  if (ungraded.length === 0) return { evaluation: base, usage: ZERO_USAGE };
  const result = await callStructured({
    client: opts.client,
    model: opts.model ?? opts.agent.model,
    maxTokens: opts.agent.max_tokens,
    system: [{ type: 'text', text: opts.agent.system_prompt, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: graderRequest(opts.rubric, ungraded, opts.candidate, opts.evidence) }],
    schema: ModelGrades,
    toolName: 'record_grades',
    toolDescription: 'Record a grade for each criterion: passed or failed, why, and the gaps.',
  });
  const byId = new Map(result.value.criteria.map((c) => [c.id, c]));
  const criteria = base.criteria.map((c): CriterionResult => {
    if (c.status !== 'not_graded') return c;
    const g = byId.get(c.id);
    // A criterion the model left out stays not graded: never passed by default.
    if (!g) return { ...c, explanation: 'the grader model did not grade this criterion' };
    return {
      ...c,
      status: g.status === 'failed' && g.gaps.length === 0 ? 'failed' : g.status,
      explanation: g.explanation,
      gaps: g.gaps.map((gap) => ({ criterion_id: c.id, memory_path: gap.memory_path, problem: gap.problem, action: 'rewrite' as const })),
    };
  });
  return { evaluation: decide(criteria, opts.iteration, opts.maxIterations), usage: result.usage };
}
