import { z } from 'zod';

/**
 * The contract between extractors (workers) and the merger. A finding is one observation with
 * the evidence that shows it; the merger groups findings by `kind` + `key` across batches.
 */
export const Evidence = z.object({
  session_id: z.string(),
  event_id: z.string().nullable(),
  /** 1-based inclusive line range in the session's original file, when known. */
  lines: z.tuple([z.number().int().positive(), z.number().int().positive()]).nullable(),
  /** A short excerpt (secrets redacted) that literally occurs in the cited event/lines. */
  quote: z.string(),
  /** When the evidence was observed (session or event timestamp), if known. */
  observed_at: z.string().nullable(),
});
export type Evidence = z.infer<typeof Evidence>;

export const FindingKind = z.enum(['failure', 'workaround', 'preference', 'fact', 'insight']);
export type FindingKind = z.infer<typeof FindingKind>;

export const Finding = z.object({
  kind: FindingKind,
  /**
   * Stable identity of what the finding is about. Two findings with the same kind+key are the
   * same thing (merged); for facts and preferences the key is the *subject*, so two findings
   * with the same key and different `value` contradict each other.
   */
  key: z.string().min(1).max(200),
  /** One-line lesson, e.g. "`npm ci` fails with ERESOLVE peer dependency conflict". */
  title: z.string().min(1).max(300),
  /** The lesson in a few sentences: what happens, what to do. */
  body: z.string().max(4000),
  /** For facts and preferences: the asserted value; contradiction = same key, different value. */
  value: z.string().nullable(),
  /** When this was observed; used for first/last seen and to pick the latest value. */
  observed_at: z.string().nullable(),
  /** Order of the session among the dream's inputs when no timestamp exists (ties broken by this). */
  sequence: z.number().int().nonnegative(),
  evidence: z.array(Evidence).min(1),
  /** Small structured attributes (signature, tool, command, exit code, category…). */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** 0..1: how sure the extractor is. */
  confidence: z.number().min(0).max(1),
});
export type Finding = z.infer<typeof Finding>;

/**
 * What one build-log session says about its run, so runs of the same job can be compared across
 * batches (flaky failures, the run where a failure went away). Emitted by engines for build logs.
 */
export const RunSummary = z.object({
  session_id: z.string(),
  sequence: z.number().int().nonnegative(),
  observed_at: z.string().nullable(),
  /** Which job this is a run of (repository, pipeline): runs are compared only within a job. */
  job: z.string(),
  /** The revision (commit) the run built, when the log names it. */
  revision: z.string().nullable(),
  status: z.enum(['passed', 'failed', 'unknown']),
  /** The line that shows the status or revision, quotable as evidence. */
  status_evidence: Evidence.nullable(),
  revision_evidence: Evidence.nullable(),
  /** Keys of the failure findings of this run. */
  failure_keys: z.array(z.string()),
  /** Why the log is incomplete (truncated file, run cut off), when it is. */
  incomplete: z.string().nullable(),
  /** The log's last non-blank line: where an incomplete log stops. */
  end_evidence: Evidence.nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const BatchFindings = z.object({
  dream_id: z.string(),
  batch_id: z.string(),
  engine: z.string(),
  session_ids: z.array(z.string()),
  findings: z.array(Finding),
  /** Problems met while extracting (a session that could not be read, …); the batch still counts. */
  warnings: z.array(z.object({ session_id: z.string().nullable(), message: z.string() })),
  stats: z.object({ sessions: z.number().int(), events: z.number().int(), lines: z.number().int() }),
  /** One summary per build-log session of the batch. */
  runs: z.array(RunSummary).default([]),
  /** Model tokens the batch spent (zero for the local engine). */
  usage: z
    .object({ input_tokens: z.number(), output_tokens: z.number(), cache_creation_input_tokens: z.number(), cache_read_input_tokens: z.number() })
    .default({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }),
});
export type BatchFindings = z.infer<typeof BatchFindings>;
