import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readJson, readJsonIfExists } from '../core/atomic.ts';
import { NotFoundError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import type { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import { BatchFindings, type Finding, type FindingKind } from '../engine/findings.ts';
import type { MemoryStoreRepo } from '../memory/repo.ts';
import { Evaluation } from '../outcomes/schema.ts';
import { getSession } from '../sessions/store.ts';
import { dreamProgress, jsonFiles, readPlan, type DreamSummary } from './dream-progress.ts';

export interface SessionRef {
  id: string;
  title: string | null;
  kind: string | null;
  format: string | null;
  line_count: number | null;
  /** Why the session could not be read (deleted since the dream ran), instead of failing the page. */
  missing?: string;
}

export interface BatchSummary {
  id: string;
  session_ids: string[];
  done: boolean;
  findings: number;
  by_kind: Partial<Record<FindingKind, number>>;
  warnings: { session_id: string | null; message: string }[];
}

export interface DreamDetail extends DreamSummary {
  config: { engine: string; strategy: string; max_iterations: number; rubric_source: string } | null;
  input_store: { id: string; name: string | null; missing?: string };
  output_store_ids: string[];
  sessions: SessionRef[];
  batches: BatchSummary[];
  evaluations: Evaluation[];
  report: string | null;
  /** screening.json as written by the screening step (its own schema); null when absent. */
  screening: unknown;
}

const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function inputStoreId(dream: DreamRecord): string {
  for (const i of dream.inputs) if (i.type === 'memory_store') return i.memory_store_id;
  throw new NotFoundError('memory store', `(dream ${dream.id} names no input store)`);
}

export function inputSessionIds(dream: DreamRecord): string[] {
  return dream.inputs.flatMap((i) => (i.type === 'sessions' ? i.session_ids : []));
}

async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function sessionRef(paths: RootPaths, id: string): Promise<SessionRef> {
  try {
    const s = await getSession(paths, id);
    return { id, title: s.title, kind: s.kind, format: s.format, line_count: s.line_count };
  } catch (e) {
    return { id, title: null, kind: null, format: null, line_count: null, missing: (e as Error).message };
  }
}

function countByKind(findings: readonly Finding[]): Partial<Record<FindingKind, number>> {
  const out: Partial<Record<FindingKind, number>> = {};
  for (const f of findings) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}

/** Everything the dream page shows, from the dream folder: one request per page load. */
export async function dreamDetail(paths: RootPaths, dreams: DreamRepo, stores: MemoryStoreRepo, id: string): Promise<DreamDetail> {
  const dream = await dreams.get(id);
  const dir = dreams.dir(id);
  const summary = await dreamProgress(dreams, dream);
  const config = await dreams.config(id).catch(() => null);
  const storeId = inputStoreId(dream);
  const input_store = await stores
    .getStore(storeId)
    .then((s) => ({ id: storeId, name: s.name }))
    .catch((e: Error) => ({ id: storeId, name: null, missing: e.message }));
  const plan = await readPlan(dreams, id);
  const batches: BatchSummary[] = [];
  for (const b of plan?.batches ?? []) {
    const found = await readJsonIfExists(join(dir, 'findings', `${b.id}.json`), BatchFindings);
    batches.push({
      id: b.id,
      session_ids: b.session_ids,
      done: found !== undefined,
      findings: found?.findings.length ?? 0,
      by_kind: found ? countByKind(found.findings) : {},
      warnings: found?.warnings ?? [],
    });
  }
  const evaluations: Evaluation[] = [];
  for (const name of await jsonFiles(join(dir, 'evaluations'))) evaluations.push(await readJson(join(dir, 'evaluations', name), Evaluation));
  const screeningText = await readTextIfExists(join(dir, 'screening.json'));
  return {
    ...summary,
    config: config && { engine: config.engine, strategy: config.strategy, max_iterations: config.max_iterations, rubric_source: config.rubric.source },
    input_store,
    output_store_ids: dream.outputs.map((o) => o.memory_store_id),
    sessions: await Promise.all(inputSessionIds(dream).map((s) => sessionRef(paths, s))),
    batches,
    evaluations,
    report: await readTextIfExists(join(dir, 'report.md')),
    screening: screeningText === null ? null : (JSON.parse(screeningText) as unknown),
  };
}

/** The findings of one batch, for the expandable rows of the dream page. */
export async function batchFindings(dreams: DreamRepo, id: string, batchId: string): Promise<z.infer<typeof BatchFindings>> {
  await dreams.get(id);
  const plan = await readPlan(dreams, id);
  if (!BATCH_ID.test(batchId) || !plan?.batches.some((b) => b.id === batchId)) throw new NotFoundError('batch', `${batchId} (dream ${id})`);
  const found = await readJsonIfExists(join(dreams.dir(id), 'findings', `${batchId}.json`), BatchFindings);
  if (!found) throw new NotFoundError('findings', `${batchId} (dream ${id}): the batch has not finished`);
  return found;
}
