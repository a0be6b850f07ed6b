import { ConflictError } from '../core/errors.ts';
import { assertId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { QuarantineRepo, type QuarantineEntry } from '../screening/quarantine.ts';
import { readOnlyTierError } from '../tiers/guard.ts';
import { isTrusted, readTier } from '../tiers/tier.ts';
import { applyPlan } from './apply.ts';
import { makePlan, type Plan } from './preview.ts';
import { parseReviewer, type ReviewerInput, type ReviewRecord } from './schema.ts';

/**
 * Release a quarantined write: a reviewer who judged the screening wrong writes the refused
 * content (as stored: secrets already redacted) into the store it was aimed at, at its path, as
 * a version by the reviewer, with a note. Like every review action it previews first and applies
 * only the previewed change. Trusted stores are not released into: they change by promotion
 * only, so a released memory reaches them the usual way, from a working store. An entry is
 * released once; it stays in the quarantine, marked with the review that released it.
 */
async function releasable(paths: RootPaths, quarantineId: unknown): Promise<QuarantineEntry & { memory_store_id: string }> {
  const entry = await new QuarantineRepo(paths).get(assertId('quarantine', quarantineId, 'quarantine_id'));
  if (entry.released) {
    throw new ConflictError(
      'quarantine_already_released',
      `quarantine_id: ${entry.id} was released by ${entry.released.reviewer} in review ${entry.released.review_id}`,
      'conflict_error',
      { review_id: entry.released.review_id },
    );
  }
  const storeId = entry.memory_store_id;
  if (storeId === null) {
    throw new ConflictError('quarantine_no_store', `quarantine_id: ${entry.id} names no store to release into (the write was refused before it had one)`);
  }
  return { ...entry, memory_store_id: storeId };
}

export async function planRelease(paths: RootPaths, quarantineId: unknown): Promise<Plan & { entry: QuarantineEntry }> {
  const entry = await releasable(paths, quarantineId);
  const storeId = entry.memory_store_id;
  const tier = await readTier(paths.store(storeId));
  if (isTrusted(tier)) throw readOnlyTierError(storeId, tier, 'release into a working store and promote from there');
  const current = await new MemoryStoreRepo(paths).snapshot(storeId);
  const desired = [...current.filter((m) => m.path !== entry.path), { path: entry.path, content: entry.content }];
  const plan = makePlan(
    {
      action: 'release',
      memory_store_id: storeId,
      tier,
      from_memory_store_id: null,
      dream_id: entry.source.type === 'dream' ? entry.source.dream_id : null,
      paths: [entry.path],
      to_review_id: null,
      to_seq: null,
      effect: `writes the content screening refused (${entry.flags.map((f) => f.rule).join(', ')}) to ${entry.path}, as a version by the reviewer; quarantine entry ${entry.id} is marked released`,
    },
    current,
    desired,
  );
  return { ...plan, entry };
}

export async function applyRelease(paths: RootPaths, req: { quarantine_id: unknown; expected_state: unknown }, reviewer: ReviewerInput): Promise<ReviewRecord> {
  const who = parseReviewer(reviewer);
  const plan = await planRelease(paths, req.quarantine_id);
  const rec = await applyPlan(paths, plan, req.expected_state, who, {
    dream_id: plan.preview.dream_id,
    paths: plan.preview.paths,
    quarantine_id: plan.entry.id,
  });
  await new QuarantineRepo(paths).markReleased(plan.entry.id, { review_id: rec.id, reviewer: rec.reviewer, at: rec.created_at });
  return rec;
}
