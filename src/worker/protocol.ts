import { z } from 'zod';
import { Evidence } from '../engine/findings.ts';
import { Session } from '../sessions/schema.ts';

/**
 * Every message that crosses into a worker thread, as zod schemas parsed on receipt.
 * Tasks are plain data: no closures, no shared state.
 */
/** Engine settings that cross into threads (engine/registry.ts EngineOptions). */
export const EngineOptionsSchema = z.object({
  model: z.string().optional(),
  record: z.string().optional(),
  replay: z.string().optional(),
  agentsDir: z.string().optional(),
});

const UsageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
  cache_read_input_tokens: z.number(),
});

export const ExtractTask = z.object({
  kind: z.literal('extract'),
  root: z.string(),
  dream_id: z.string(),
  batch_id: z.string().regex(/^b\d{4,}$/),
  /** Only this batch's sessions, with their position among the dream's inputs. */
  sessions: z.array(z.object({ id: z.string(), sequence: z.number().int().nonnegative() })).min(1),
  instructions: z.string().nullable(),
  engine: z.string(),
  engine_options: EngineOptionsSchema.default({}),
  /** The input store, which the worker may read and never writes. */
  input_store_id: z.string(),
});
export type ExtractTask = z.infer<typeof ExtractTask>;

export const ExtractResult = z.object({
  batch_id: z.string(),
  findings: z.number().int(),
  warnings: z.number().int(),
  file: z.string(),
  usage: UsageSchema,
});
export type ExtractResult = z.infer<typeof ExtractResult>;

export const GradeTask = z.object({
  kind: z.literal('grade'),
  /** The candidate store, the rubric and the cited evidence: nothing else reaches the grader. */
  candidate: z.array(z.object({ path: z.string(), content: z.string() })),
  rubric_text: z.string(),
  rubric_source: z.string(),
  evidence: z.record(z.string(), z.string()),
  iteration: z.number().int().positive(),
  max_iterations: z.number().int().positive(),
  /** With the claude engine, criteria only a model can judge go to the grader agent. */
  engine: z.string().default('local'),
  engine_options: EngineOptionsSchema.default({}),
});
export type GradeTask = z.input<typeof GradeTask>;

/** One file to import into the sessions of `root` (sessions/import-file.ts). */
export const ImportTask = z.object({
  kind: z.literal('import'),
  root: z.string(),
  path: z.string(),
  /** Recorded as the session's source instead of `path` (an upload staged under a temp name). */
  source_path: z.string().optional(),
});
export type ImportTask = z.infer<typeof ImportTask>;

export const ImportFileResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('imported'), session: Session }),
  z.object({ status: z.literal('existing'), session: Session }),
  // A refused file keeps its error code and HTTP status, so callers can answer as if it ran here.
  z.object({ status: z.literal('failed'), reason: z.string(), code: z.string().optional(), error_status: z.number().int().optional() }),
]);
export type ImportFileResult = z.infer<typeof ImportFileResult>;

/** Diff one passing run against the failing runs before it (cross-run analysis). */
export const DiffTask = z.object({
  kind: z.literal('diff'),
  root: z.string(),
  pass: z.string(),
  fails: z.array(z.string()).min(1),
});
export type DiffTask = z.infer<typeof DiffTask>;

const DiffLineSchema = z.object({ template: z.string(), evidence: Evidence });
export const DiffResult = z.object({
  pass: z.string(),
  diffs: z.array(z.object({ fail: z.string(), diff: z.object({ onlyInFail: z.array(DiffLineSchema), onlyInPass: z.array(DiffLineSchema) }) })),
});
export type DiffResult = z.infer<typeof DiffResult>;

/** Resolve the evidence cited from one session to the exact text it points at (coordinator/evidence.ts). */
export const EvidenceTask = z.object({
  kind: z.literal('evidence'),
  root: z.string(),
  session_id: z.string(),
  cited: z.array(Evidence).min(1),
});
export type EvidenceTask = z.infer<typeof EvidenceTask>;

/** Evidence key (outcomes/evidence-key.ts) → cited text; keys that could not be resolved are absent. */
export const EvidenceResult = z.object({ texts: z.record(z.string(), z.string()) });
export type EvidenceResult = z.infer<typeof EvidenceResult>;

export const WorkerTask = z.discriminatedUnion('kind', [DiffTask, EvidenceTask, ExtractTask, GradeTask, ImportTask]);
export type WorkerTask = z.infer<typeof WorkerTask>;

/**
 * What the shared task thread (task-worker.ts) runs: everything but grading, which keeps a thread
 * of its own so nothing that produced the candidate shares its heap or module state.
 */
export type PoolTask = DiffTask | EvidenceTask | ExtractTask | ImportTask;
export const POOL_TASK_KINDS = ['diff', 'evidence', 'extract', 'import'] as const satisfies readonly PoolTask['kind'][];
