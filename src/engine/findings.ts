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

export const BatchFindings = z.object({
  dream_id: z.string(),
  batch_id: z.string(),
  engine: z.string(),
  session_ids: z.array(z.string()),
  findings: z.array(Finding),
  /** Problems met while extracting (a session that could not be read, …); the batch still counts. */
  warnings: z.array(z.object({ session_id: z.string().nullable(), message: z.string() })),
  stats: z.object({ sessions: z.number().int(), events: z.number().int(), lines: z.number().int() }),
});
export type BatchFindings = z.infer<typeof BatchFindings>;
