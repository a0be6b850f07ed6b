import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';
import type { Finding } from '../engine/findings.ts';
import type { DreamRecord, RunConfig } from '../dreams/schema.ts';
import type { DreamEventLog } from '../dreams/event-log.ts';
import { citedEvidence, merge } from '../merger/merge.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import type { Evaluation, Gap } from '../outcomes/schema.ts';
import type { GradeTask } from '../worker/protocol.ts';
import { resolveEvidence } from './evidence.ts';
import { rewriteWithModel } from '../merger/model-merger.ts';
import { loadAgentsWithOverrides } from '../outcomes/agents.ts';
import { createClaudeClient } from '../llm/client.ts';
import type { Usage } from '../llm/usage.ts';
import { InvalidInputError } from '../core/errors.ts';
import { createPool, usePool, type TaskPool } from './pool.ts';
import { mergeTreeFor } from './strategies/merge-phase.ts';

export interface Consolidation {
  candidate: StoreSnapshot;
  evaluations: Evaluation[];
  final: Evaluation;
}

/** Keep the candidate as a plain tree in the dream folder, so people can read what was graded. */
async function saveCandidate(dir: string, candidate: StoreSnapshot): Promise<void> {
  await rm(join(dir, 'candidate'), { recursive: true, force: true });
  for (const m of candidate)
    await writeFileAtomic(join(dir, 'candidate', ...m.path.split('/').filter(Boolean)), m.content);
  await writeJsonAtomic(join(dir, 'candidate.json'), candidate);
}

/** The merger agent and its client, for the claude engine. */
async function mergerAgent(config: RunConfig) {
  const o = config.engine_options;
  const agent = (await loadAgentsWithOverrides(o.agentsDir)).find((a) => a.role === 'merger');
  if (!agent) throw new InvalidInputError('no_merger', 'no merger agent in agents/ (role: merger)');
  const client = createClaudeClient({ ...(o.record ? { record: o.record } : {}), ...(o.replay ? { replay: o.replay } : {}) });
  return { client, agent, ...(o.model ? { model: o.model } : {}) };
}

/**
 * Merge findings with the input store, grade the candidate in the grader's own thread, and send
 * the gaps back to the merger until the grader is satisfied or iterations run out.
 */
export async function consolidate(opts: {
  paths: RootPaths;
  dream: DreamRecord;
  config: RunConfig;
  input: StoreSnapshot;
  findings: Finding[];
  log: DreamEventLog;
  /** Input memory paths kept byte-identical (the `preserve:` directive). */
  preserve?: readonly string[];
  onIteration?: (e: Evaluation) => void;
  /** Model tokens spent by the grader and the merger agent, as they are spent. */
  onUsage?: (u: Usage) => Promise<void> | void;
  /** The run's task pool (evidence is read there); without one, a pool is started for this phase. */
  pool?: TaskPool;
}): Promise<Consolidation> {
  const { paths, dream, config, input, log } = opts;
  const dir = paths.dream(dream.id);
  const evaluations: Evaluation[] = [];
  // The merge strategy (flat or a tree of merges) reduces the batches' findings before the merger.
  const tree = await mergeTreeFor(paths, dream, config, opts.findings);
  await log.append('dream.merge_tree', tree.stats);
  const findings = tree.findings;
  // The grader's thread loads while the merger and the evidence reads run; a run's task pool
  // keeps one for all its dreams.
  const gradePool = opts.pool ? opts.pool.grader() : createPool('grade-worker', 1, { warm: true });
  const ownGrader = opts.pool ? null : gradePool;
  let revisions: Gap[] = [];
  let rewrites: Record<string, { title: string; body: string }> = {};
  const modelMerger = config.engine === 'claude' ? await mergerAgent(config) : undefined;
  try {
    return await usePool(opts.pool, config.workers, async (pool) => {
      for (let iteration = 1; ; iteration++) {
        const merged = merge(input, findings, { revisions, preserve: opts.preserve ?? [], rewrites });
        await log.append('dream.merge', {
          iteration,
          memories: merged.store.length,
          revisions_applied: revisions.length,
        });
        const cited = [...merged.entries, ...merged.preserved].flatMap(citedEvidence);
        const evidence = await resolveEvidence(paths, cited, pool);
        const start = await log.append('span.outcome_evaluation_start', { iteration });
        const task: GradeTask = {
          kind: 'grade',
          candidate: merged.store,
          rubric_text: config.rubric.text,
          rubric_source: config.rubric.source,
          evidence,
          iteration,
          max_iterations: config.max_iterations,
          engine: config.engine,
          engine_options: config.engine_options,
        };
        const graded = (await gradePool.run(task)) as { evaluation: Evaluation; usage: Usage };
        const evaluation = graded.evaluation;
        await opts.onUsage?.(graded.usage);
        evaluations.push(evaluation);
        await writeJsonAtomic(
          join(dir, 'evaluations', `${String(iteration).padStart(2, '0')}.json`),
          evaluation,
        );
        await log.append('span.outcome_evaluation_end', {
          outcome_evaluation_start_id: start.id,
          iteration,
          result: evaluation.result,
          explanation: evaluation.explanation,
          criteria: evaluation.criteria.map((c) => ({
            id: c.id,
            title: c.title,
            status: c.status,
            gaps: c.gaps.length,
          })),
        });
        opts.onIteration?.(evaluation);
        if (evaluation.result !== 'needs_revision') {
          await saveCandidate(dir, merged.store);
          return { candidate: merged.store, evaluations, final: evaluation };
        }
        revisions = [...revisions, ...evaluation.gaps];
        // Gaps only a model can close (wording) go to the merger agent; the rest to the merger.
        if (modelMerger && evaluation.gaps.some((g) => g.action === 'rewrite')) {
          const revised = await rewriteWithModel({ ...modelMerger, candidate: merged.store, gaps: evaluation.gaps });
          rewrites = { ...rewrites, ...revised.rewrites };
          await opts.onUsage?.(revised.usage);
        }
      }
    });
  } finally {
    await ownGrader?.destroy();
  }
}
