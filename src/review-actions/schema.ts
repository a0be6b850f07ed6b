import { z } from 'zod';
import { InvalidInputError } from '../core/errors.ts';
import { Actor } from '../memory/schema.ts';
import { Tier } from '../tiers/tier.ts';

/**
 * A review record: shared-fs/reviews/<rev_…>.json, one per review action. Memory versions have
 * no note field, so this is what links who, when, why and which versions an action produced.
 */

export const ReviewAction = z.enum(['approve', 'reject', 'promote', 'rollback', 'set_tier', 'release']);
export type ReviewAction = z.infer<typeof ReviewAction>;

export const ChangeStatus = z.enum(['added', 'changed', 'removed']);

export const ReviewRecord = z
  .object({
    id: z.string().regex(/^rev_[A-Za-z0-9]{8,64}$/),
    type: z.literal('review'),
    action: ReviewAction,
    reviewer: z.string().min(1),
    /** The actor of every version this action wrote: a user_actor with user_id = reviewer. */
    actor: Actor,
    note: z.string().min(1),
    created_at: z.string().min(1),
    /** The API key that made the request, when it came over HTTP (the reviewer name is the client's word). */
    api_key_id: z.string().nullable(),
    /** The store the action is about: the promote target, the rolled-back store, a dream's output store, the re-tiered store. */
    memory_store_id: z.string(),
    from_memory_store_id: z.string().nullable(),
    dream_id: z.string().nullable(),
    /** Promote: the paths (or `folder/` prefixes) selected; null = the whole store. */
    paths: z.array(z.string()).nullable(),
    to_review_id: z.string().nullable(),
    to_seq: z.number().int().nonnegative().nullable(),
    tier: z.object({ from: Tier, to: Tier }).strict().nullable(),
    /** Version seq of the store before the action: `dream rollback --to-review` restores the state at this seq. */
    seq_before: z.number().int().nonnegative().nullable(),
    version_ids: z.array(z.string()),
    changes: z.array(z.object({ path: z.string(), status: ChangeStatus }).strict()),
    /** Hash of the store's live memories before and after (src/review-actions/state.ts). */
    state_before: z.string().nullable(),
    state_after: z.string().nullable(),
    /** Reject of a create_new dream: the output store was archived so it cannot be promoted. */
    archived_store: z.boolean(),
    /** Release: the quarantine entry whose content was written (absent in records made before releases existed). */
    quarantine_id: z.string().nullable().optional(),
  })
  .strict();
export type ReviewRecord = z.infer<typeof ReviewRecord>;

const CONTROL = /[\p{Cc}\p{Cf}]/u;
export const MAX_REVIEWER_CHARS = 128;
export const MAX_NOTE_CHARS = 4096;

/** Who reviews: a name people recognise, recorded as the user_id of every version written. */
export function validateReviewer(value: unknown, field = 'reviewer'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidInputError('missing_reviewer', `${field}: required: the name of the person making this review`, { field });
  }
  if ([...value].length > MAX_REVIEWER_CHARS || CONTROL.test(value)) {
    throw new InvalidInputError('missing_reviewer', `${field}: must be 1 to ${MAX_REVIEWER_CHARS} characters without control characters`, { field });
  }
  return value.trim();
}

export function validateNote(value: unknown, field = 'note'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidInputError('missing_note', `${field}: required: why this review action is taken`, { field });
  }
  if ([...value].length > MAX_NOTE_CHARS) {
    throw new InvalidInputError('missing_note', `${field}: must be at most ${MAX_NOTE_CHARS} characters`, { field });
  }
  return value;
}

export interface ReviewerInput {
  reviewer: unknown;
  note: unknown;
  /** Set when the action came over HTTP. */
  api_key_id?: string;
}

export interface Reviewer {
  reviewer: string;
  note: string;
  actor: Actor;
  api_key_id: string | null;
}

export function parseReviewer(input: ReviewerInput): Reviewer {
  const reviewer = validateReviewer(input.reviewer);
  const note = validateNote(input.note);
  return { reviewer, note, actor: { type: 'user_actor', user_id: reviewer }, api_key_id: input.api_key_id ?? null };
}
