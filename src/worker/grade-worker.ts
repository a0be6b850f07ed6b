/**
 * The grader's own thread. It receives the candidate store, the rubric and the cited evidence —
 * never the extractors' or merger's inputs or state — and returns an evaluation. With the claude
 * engine, the criteria only a model can judge go to the grader agent from this thread, with its
 * own client and its own message history.
 */
import { GradeTask } from './protocol.ts';
import { parseRubric } from '../outcomes/rubric.ts';
import { grade } from '../outcomes/grader.ts';
import { gradeWithModel } from '../outcomes/model-grader.ts';
import { loadAgentsWithOverrides } from '../outcomes/agents.ts';
import { createClaudeClient } from '../llm/client.ts';
import { ZERO_USAGE, type Usage } from '../llm/usage.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { Evaluation } from '../outcomes/schema.ts';

export default async function gradeTask(message: unknown): Promise<{ evaluation: Evaluation; usage: Usage }> {
  const task = GradeTask.parse(message);
  const rubric = parseRubric(task.rubric_text, task.rubric_source);
  const base = { candidate: task.candidate, rubric, evidence: task.evidence, iteration: task.iteration, maxIterations: task.max_iterations };
  if (task.engine !== 'claude') return { evaluation: grade(base), usage: ZERO_USAGE };
  const o = task.engine_options;
  const agent = (await loadAgentsWithOverrides(o.agentsDir)).find((a) => a.role === 'grader');
  if (!agent) throw new InvalidInputError('no_grader', 'no grader agent in agents/ (role: grader)');
  const client = createClaudeClient({ ...(o.record ? { record: o.record } : {}), ...(o.replay ? { replay: o.replay } : {}) });
  return gradeWithModel({ client, agent, ...(o.model ? { model: o.model } : {}), ...base });
}
