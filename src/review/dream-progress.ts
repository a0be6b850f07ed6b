import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonIfExists } from '../core/atomic.ts';
import type { DreamRepo } from '../dreams/repo.ts';
import { Plan, type DreamRecord } from '../dreams/schema.ts';

/** What the dreams list shows per dream: the API object plus how far its run has got. */
export interface DreamSummary {
  dream: DreamRecord;
  progress: {
    /** Batches planned (null until the coordinator has written plan.json). */
    batches_total: number | null;
    /** Batches whose findings file exists: what a resume would skip. */
    batches_done: number;
    /** Grader evaluations written so far (one per merge/grade iteration). */
    evaluations: number;
  };
}

/** Names of the JSON files in a dream's subfolder, sorted; none when the folder is not there yet. */
export async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export async function readPlan(dreams: DreamRepo, id: string): Promise<Plan | undefined> {
  return readJsonIfExists(dreams.file(id, 'plan.json'), Plan);
}

/**
 * Progress is read from the files the coordinator writes atomically (plan, one findings file per
 * finished batch, one evaluation per iteration), so it is exact while a dream runs and needs no
 * cooperation from the runner.
 */
export async function dreamProgress(dreams: DreamRepo, dream: DreamRecord): Promise<DreamSummary> {
  const plan = await readPlan(dreams, dream.id);
  const planned = new Set(plan?.batches.map((b) => `${b.id}.json`) ?? []);
  const findings = await jsonFiles(join(dreams.dir(dream.id), 'findings'));
  const evaluations = await jsonFiles(join(dreams.dir(dream.id), 'evaluations'));
  return {
    dream,
    progress: {
      batches_total: plan ? plan.batches.length : null,
      batches_done: plan ? findings.filter((f) => planned.has(f)).length : findings.length,
      evaluations: evaluations.length,
    },
  };
}

export async function listDreamSummaries(dreams: DreamRepo, opts: { include_archived: boolean }): Promise<DreamSummary[]> {
  const list = await dreams.list({ include_archived: opts.include_archived });
  return Promise.all(list.map((d) => dreamProgress(dreams, d)));
}
