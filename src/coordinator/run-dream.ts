/**
 * Runs one dream from wherever it stands (fresh or resumed after a crash).
 *
 *   sessions ──► plan (strategy, saved once) ──► piscina pool: one task per batch
 *                                                  └─► findings/<batch>.json (atomic; done = skip on resume)
 *   input store (read-only snapshot) + all findings ──► merger ──► candidate
 *                                        ▲                           │
 *                                        └──── gaps ◄── grader thread (candidate + rubric + cited evidence)
 *   satisfied ──► output store (copy of input, or the input itself for update_existing) + report.md
 *   not satisfied ──► failed (outcome_not_satisfied); candidate and grades stay in the dream folder
 */
import { join } from 'node:path';
import { hostname } from 'node:os';
import { ConflictError, isDreamworkError } from '../core/errors.ts';
import { isAlive } from '../core/lock.ts';
import { isFinal } from '../dreams/lifecycle.ts';
import { addUsage, totalTokens, type Usage } from '../llm/usage.ts';
import type { RootPaths } from '../core/root.ts';
import { writeFileAtomic } from '../core/atomic.ts';
import { DreamRepo } from '../dreams/repo.ts';
import { DreamEventLog } from '../dreams/event-log.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import type { Evaluation } from '../outcomes/schema.ts';
import { inputStoreOf, loadFindings, loadOrMakePlan, runExtraction, type ExtractProgress } from './extract-phase.ts';
import { consolidate } from './consolidate-phase.ts';
import { crossRun } from './cross-run-phase.ts';
import { loadPriorRuns, saveRuns } from './prior-runs.ts';
import { renderReport } from './report.ts';
import { TaskPool } from './pool.ts';
import { describeInstructions, isPreserved, parseDirectives } from '../engine/local/instructions.ts';
import { rollupTranscripts } from '../engine/local/transcript-rollup.ts';
import { parseMemory } from '../merger/parse.ts';
import { getSession } from '../sessions/store.ts';
import { screenDreamWrite } from '../screening/dream-write.ts';

export interface RunHooks {
  onPhase?: (phase: 'extract' | 'merge' | 'write', dream: DreamRecord) => void;
  onProgress?: (p: ExtractProgress) => void;
  onEvaluation?: (e: Evaluation) => void;
  /**
   * The host is shutting down (dream serve stopping): extraction stops at its next poll and an
   * error caused by the shutdown leaves the dream running, for the next start to resume.
   */
  shouldStop?: () => boolean;
}

/** `shared`: the task threads of a whole `dream run`; without them, the dream starts its own. */
export async function runDream(paths: RootPaths, dreamId: string, hooks: RunHooks = {}, shared?: TaskPool): Promise<DreamRecord> {
  const repo = new DreamRepo(paths);
  const stores = new MemoryStoreRepo(paths);
  let dream = await repo.get(dreamId);
  const owner = await repo.owner(dream.id);
  if (!isFinal(dream.status) && owner && owner.pid !== process.pid && owner.host === hostname() && isAlive(owner.pid)) {
    throw new ConflictError('dream_in_progress', `dream ${dream.id} is being run by process ${owner.pid}`);
  }
  if (dream.status === 'pending') dream = await repo.transition(dream.id, 'running');
  if (dream.status !== 'running') return dream;
  await repo.setOwner(dream.id);
  const config = await repo.config(dream.id);
  const log = new DreamEventLog(join(repo.dir(dream.id), 'events.jsonl'), dream.session_id ?? dream.id);
  await log.init();
  const isCanceled = async () => (await repo.get(dream.id)).status === 'canceled';
  const pool = shared ?? TaskPool.create(config.workers);
  // Model tokens accumulate into the dream as they are spent; past the budget, the dream stops.
  let overBudget = false;
  const spend = async (u: Usage) => {
    if (totalTokens(u) === 0) return;
    const d = await repo.update(dream.id, (x) => ({ ...x, usage: addUsage(x.usage, u) }));
    if (config.budget_tokens !== null && totalTokens(d.usage) > config.budget_tokens) overBudget = true;
  };
  const budgetError = () => ({
    type: 'budget_exceeded',
    message: `the dream used more than --budget-tokens ${config.budget_tokens}; what it found so far stays in ${repo.dir(dream.id)}`,
  });

  try {
    await log.append('dream.running', { engine: config.engine, strategy: config.strategy, workers: config.workers });
    const plan = await loadOrMakePlan(paths, dream, config);
    hooks.onPhase?.('extract', dream);
    const outcome = await runExtraction({
      paths,
      repo,
      dream,
      config,
      plan,
      shouldStop: async () => overBudget || hooks.shouldStop?.() === true || (await isCanceled()),
      onUsage: spend,
      pool,
      onProgress: (p) => {
        void log.append('dream.batch_done', { batch_id: p.batch, done: p.done, total: p.total });
        hooks.onProgress?.(p);
      },
    });
    if (overBudget) {
      await log.append('dream.failed', { error: budgetError() });
      return await repo.transition(dream.id, 'failed', { error: budgetError() });
    }
    if (outcome === 'stopped' || (await isCanceled())) return await repo.get(dream.id);

    hooks.onPhase?.('merge', dream);
    const inputStoreId = inputStoreOf(dream);
    const input = await stores.snapshot(inputStoreId);
    const batches = await loadFindings(paths, dream, plan);
    await log.append('dream.read', {
      memory_store_id: inputStoreId,
      memories: input.length,
      batches: batches.length,
      findings: batches.reduce((n, b) => n + b.findings.length, 0),
    });
    const prior = await loadPriorRuns(paths, dream, inputStoreId);
    const cross = await crossRun(paths, batches, config.workers, pool, prior);
    await saveRuns(paths, dream.id, prior, batches.flatMap((b) => b.runs), cross.findings);
    await log.append('dream.cross_run', {
      runs: batches.reduce((n, b) => n + b.runs.length, 0),
      prior_runs: prior.length,
      findings: cross.added.length,
      by_kind: Object.fromEntries(['insight', 'workaround'].map((k) => [k, cross.added.filter((f) => f.kind === k).length])),
    });
    // Transcript failures and fixes across sessions: recurrence, families, playbooks, outcomes.
    const sessionIds = plan.batches.flatMap((b) => b.session_ids);
    const outcomes = new Map((await Promise.all(sessionIds.map((id) => getSession(paths, id)))).map((s) => [s.id, s.outcome]));
    const parsed = input.map((m) => ({ path: m.path, entry: parseMemory(m.path, m.content) }));
    const rolled = rollupTranscripts(cross.findings, { outcomes, existingKeys: new Set(parsed.flatMap((p) => p.entry?.keys ?? [])) });
    await log.append('dream.transcripts', rolled.stats);
    // What of the instructions the engine follows; prose it cannot act on offline is said, not ignored.
    const directives = parseDirectives(dream.instructions);
    const preserve = parsed.filter((p) => isPreserved(p.path, p.entry?.title ?? null, directives.preserve)).map((p) => p.path);
    await log.append('dream.instructions', { engine: config.engine, ...describeInstructions(dream.instructions), preserved_paths: preserve });
    const result = await consolidate({ paths, dream, config, input, findings: rolled.findings, log, preserve, onIteration: hooks.onEvaluation, onUsage: spend, pool });
    await writeFileAtomic(join(repo.dir(dream.id), 'report.md'), renderReport(dream, plan, batches, result, (await repo.get(dream.id)).usage));
    if (await isCanceled()) return await repo.get(dream.id);
    if (overBudget) {
      await log.append('dream.failed', { error: budgetError() });
      return await repo.transition(dream.id, 'failed', { error: budgetError() });
    }

    if (result.final.result !== 'satisfied') {
      const failure =
        result.final.result === 'failed'
          ? { type: 'outcome_failed', message: `the rubric does not fit this task: ${result.final.explanation}` }
          : {
              type: 'outcome_not_satisfied',
              message: `grader not satisfied after ${result.evaluations.length} iteration(s): ${result.final.explanation}`,
            };
      await log.append('dream.failed', { error: failure });
      return await repo.transition(dream.id, 'failed', { error: failure });
    }

    hooks.onPhase?.('write', dream);
    const actor = { type: 'session_actor' as const, session_id: dream.session_id ?? dream.id };
    let outputId = dream.outputs[0]?.memory_store_id;
    if (!outputId) {
      outputId =
        dream.output_behavior.type === 'update_existing'
          ? inputStoreId
          : (await stores.copyStore(inputStoreId, { name: `dream ${dream.id}`, description: `Output of dream ${dream.id}` }, actor)).id;
      // Recorded before writing, so a crash mid-write resumes into the same store.
      dream = await repo.update(dream.id, (d) => ({ ...d, outputs: [{ type: 'memory_store', memory_store_id: outputId! }] }));
    }
    const screened = await screenDreamWrite(paths, dream, outputId, result.candidate, log);
    const changes = await stores.applySnapshot(outputId, screened.snapshot, actor);
    await log.append('dream.store_written', { memory_store_id: outputId, ...changes, quarantined: screened.quarantined.length });
    return await repo.transition(dream.id, 'completed');
  } catch (e) {
    if (hooks.shouldStop?.()) return await repo.get(dream.id);
    const error = isDreamworkError(e)
      ? { type: e.code, message: e.message }
      : { type: 'internal_error', message: (e as Error).message };
    await log.append('dream.failed', { error });
    const current = await repo.get(dream.id);
    return current.status === 'running' ? await repo.transition(dream.id, 'failed', { error }) : current;
  } finally {
    if (pool !== shared) await pool.destroy();
  }
}
