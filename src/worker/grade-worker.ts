/**
 * The grader's own thread. It receives the candidate store, the rubric and the cited evidence —
 * never the extractors' or merger's inputs or state — and returns an evaluation.
 */
import { GradeTask } from './protocol.ts';
import { parseRubric } from '../outcomes/rubric.ts';
import { grade } from '../outcomes/grader.ts';
import type { Evaluation } from '../outcomes/schema.ts';

export default function gradeTask(message: unknown): Evaluation {
  const task = GradeTask.parse(message);
  const rubric = parseRubric(task.rubric_text, task.rubric_source);
  return grade({
    candidate: task.candidate,
    rubric,
    evidence: task.evidence,
    iteration: task.iteration,
    maxIterations: task.max_iterations,
  });
}
