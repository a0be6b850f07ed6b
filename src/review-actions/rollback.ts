import { InvalidInputError } from '../core/errors.ts';
import { assertId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { StoreFiles } from '../memory/store-files.ts';
import { readTier } from '../tiers/tier.ts';
import { applyPlan } from './apply.ts';
import { maxSeq, stateAtSeq } from './history.ts';
import { makePlan, type Plan } from './preview.ts';
import { getReview } from './records.ts';
import { parseReviewer, type ReviewerInput, type ReviewRecord } from './schema.ts';

/**
 * Rollback: a store (trusted or working) back to its state before a review action, or right
 * after version `to_seq`, written as new versions attributed to the reviewer. History is never
 * rewritten: the versions being undone stay, and a rollback can itself be rolled back.
 */
export interface RollbackRequest {
  store: unknown;
  to_review?: unknown;
  to_seq?: unknown;
}

async function targetSeq(paths: RootPaths, store: string, req: RollbackRequest, latest: number): Promise<{ seq: number; review: string | null }> {
  const hasReview = req.to_review !== undefined && req.to_review !== null;
  const hasSeq = req.to_seq !== undefined && req.to_seq !== null;
  if (hasReview === hasSeq) {
    throw new InvalidInputError('invalid_rollback_target', 'to_review / to_seq: give exactly one: the review to undo, or the version seq to return to', { field: 'to_review' });
  }
  if (hasReview) {
    const rev = await getReview(paths, assertId('review', req.to_review, 'to_review'), 'to_review');
    if (rev.memory_store_id !== store) {
      throw new InvalidInputError('review_other_store', `to_review: review ${rev.id} (${rev.action}) acted on store ${rev.memory_store_id}, not ${store}`, { field: 'to_review' });
    }
    if (rev.seq_before === null) {
      throw new InvalidInputError('review_wrote_no_versions', `to_review: review ${rev.id} (${rev.action}) wrote no memory versions; there is nothing to roll back to`, { field: 'to_review' });
    }
    return { seq: rev.seq_before, review: rev.id };
  }
  const raw = req.to_seq;
  const seq = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > latest) {
    throw new InvalidInputError('invalid_rollback_target', `to_seq: ${JSON.stringify(raw)} is not a version seq of store ${store} (an integer from 0 to ${latest})`, { field: 'to_seq' });
  }
  return { seq, review: null };
}

export async function planRollback(paths: RootPaths, req: RollbackRequest): Promise<Plan> {
  const store = assertId('store', req.store, 'store');
  const repo = new MemoryStoreRepo(paths);
  await repo.getStore(store);
  const versions = await new StoreFiles(paths, store, 'store').readAllVersions();
  const { seq, review } = await targetSeq(paths, store, req, maxSeq(versions));
  const desired = stateAtSeq(versions, seq);
  const tier = await readTier(paths.store(store));
  return makePlan(
    {
      action: 'rollback',
      memory_store_id: store,
      tier,
      from_memory_store_id: null,
      dream_id: null,
      paths: null,
      to_review_id: review,
      to_seq: seq,
      effect: `restores ${tier} store ${store} to its state at version seq ${seq}${review ? ` (before review ${review})` : ''}, as new versions attributed to the reviewer`,
    },
    await repo.snapshot(store),
    desired,
  );
}

export async function applyRollback(paths: RootPaths, req: RollbackRequest & { expected_state: unknown }, reviewer: ReviewerInput): Promise<ReviewRecord> {
  const who = parseReviewer(reviewer);
  const plan = await planRollback(paths, req);
  return applyPlan(paths, plan, req.expected_state, who, { to_review_id: plan.preview.to_review_id, to_seq: plan.preview.to_seq });
}
