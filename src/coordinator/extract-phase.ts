import { setMaxListeners } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';
import { BatchFindings } from '../engine/findings.ts';
import { Plan, type DreamRecord, type RunConfig } from '../dreams/schema.ts';
import type { DreamRepo } from '../dreams/repo.ts';
import { getSession } from '../sessions/store.ts';
import type { ExtractTask, ExtractResult } from '../worker/protocol.ts';
import { resolveStrategy } from './strategies/registry.ts';
import type { SessionSummary } from './strategies/types.ts';
import { usePool, type TaskPool } from './pool.ts';

export interface ExtractProgress {
  done: number;
  total: number;
  skipped: number;
  findings: number;
  batch: string;
}

export function sessionIdsOf(dream: DreamRecord): string[] {
  const input = dream.inputs.find((i) => i.type === 'sessions');
  return input && input.type === 'sessions' ? input.session_ids : [];
}

export function inputStoreOf(dream: DreamRecord): string {
  const input = dream.inputs.find((i) => i.type === 'memory_store');
  if (!input || input.type !== 'memory_store') throw new Error(`dream ${dream.id} has no memory store input`);
  return input.memory_store_id;
}

/** The plan is computed once and saved, so a resumed dream runs exactly the same batches. */
export async function loadOrMakePlan(paths: RootPaths, dream: DreamRecord, config: RunConfig): Promise<Plan> {
  const file = join(paths.dream(dream.id), 'plan.json');
  const existing = await readJsonIfExists(file, Plan);
  if (existing) return existing;
  const ids = sessionIdsOf(dream);
  const summaries: SessionSummary[] = await Promise.all(
    ids.map(async (id, sequence) => {
      const s = await getSession(paths, id);
      return { id, sequence, bytes: s.source.bytes, kind: s.kind };
    }),
  );
  const strategy = await resolveStrategy(config.strategy);
  const plan: Plan = { strategy: strategy.name, batches: await strategy.plan(summaries, config.strategy_options, { paths }) };
  await writeJsonAtomic(file, plan);
  return plan;
}

async function doneBatches(dir: string): Promise<Set<string>> {
  try {
    const names = await readdir(dir);
    return new Set(names.filter((n) => /^b\d+\.json$/.test(n)).map((n) => n.slice(0, -5)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw e;
  }
}

/**
 * Run every batch not already done through the pool. Batches whose findings file exists are
 * skipped (that is what makes resume cheap); `shouldStop` is polled so a cancel stops the pool.
 */
export async function runExtraction(opts: {
  paths: RootPaths;
  repo: DreamRepo;
  dream: DreamRecord;
  config: RunConfig;
  plan: Plan;
  onProgress?: (p: ExtractProgress) => void;
  shouldStop: () => Promise<boolean>;
  /** Model tokens a finished batch spent. */
  onUsage?: (u: ExtractResult['usage']) => Promise<void> | void;
  /** The run's task pool; without one, a pool is started for this phase. */
  pool?: TaskPool;
}): Promise<'done' | 'stopped'> {
  const { paths, dream, config, plan } = opts;
  const findingsDir = join(paths.dream(dream.id), 'findings');
  const done = await doneBatches(findingsDir);
  const sequence = new Map(sessionIdsOf(dream).map((id, i) => [id, i]));
  const todo = plan.batches.filter((b) => !done.has(b.id));
  let completed = plan.batches.length - todo.length;
  let findings = 0;
  if (todo.length === 0) return 'done';

  let stopped = false;
  const abort = new AbortController();
  // Every queued task listens on this one signal; hundreds of batches are expected, not a leak.
  setMaxListeners(0, abort.signal);
  const poll = setInterval(() => {
    void opts.shouldStop().then((stop) => {
      if (stop && !stopped) {
        stopped = true;
        abort.abort();
      }
    });
  }, 250);
  const input = inputStoreOf(dream);
  // Read concurrently: while these hundred small reads run, every thread is waiting for work.
  const ids = todo.flatMap((b) => b.session_ids);
  const sizes = await Promise.all(ids.map(async (id) => (await getSession(paths, id).catch(() => null))?.source.bytes ?? 0));
  const bytes = new Map(ids.map((id, i) => [id, sizes[i]!]));
  // Largest batches first, so the last ones to finish are small and no thread idles long at the
  // end (findings do not depend on the order batches run in).
  const order = todo
    .map((batch) => ({ batch, bytes: batch.session_ids.reduce((n, id) => n + (bytes.get(id) ?? 0), 0) }))
    .sort((a, b) => b.bytes - a.bytes)
    .map((x) => x.batch);
  try {
    await usePool(opts.pool, Math.min(config.workers, todo.length), (pool) =>
      Promise.all(
        order.map(async (batch) => {
          const task: ExtractTask = {
            kind: 'extract',
            root: paths.root,
            dream_id: dream.id,
            batch_id: batch.id,
            sessions: batch.session_ids.map((id) => ({ id, sequence: sequence.get(id) ?? 0 })),
            instructions: dream.instructions,
            engine: config.engine,
            engine_options: config.engine_options,
            input_store_id: input,
          };
          try {
            const result = (await pool.run(task, { signal: abort.signal })) as ExtractResult;
            completed++;
            findings += result.findings;
            await opts.onUsage?.(result.usage);
            opts.onProgress?.({ done: completed, total: plan.batches.length, skipped: done.size, findings, batch: batch.id });
          } catch (e) {
            if (stopped) return;
            throw new Error(`batch ${batch.id} failed: ${(e as Error).message}`, { cause: e });
          }
        }),
      ),
    );
  } finally {
    clearInterval(poll);
  }
  return stopped ? 'stopped' : 'done';
}

/** All findings of a dream, in batch order (the merger does not depend on this order). */
export async function loadFindings(paths: RootPaths, dream: DreamRecord, plan: Plan): Promise<BatchFindings[]> {
  const dir = join(paths.dream(dream.id), 'findings');
  return Promise.all(plan.batches.map((b) => readJson(join(dir, `${b.id}.json`), BatchFindings)));
}
