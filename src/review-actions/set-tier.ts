import { assertId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { StoreFiles } from '../memory/store-files.ts';
import { locked } from '../memory/write-path.ts';
import { parseTier, readTier, writeTier, type Tier } from '../tiers/tier.ts';
import { blankFields, writeReview } from './records.ts';
import { parseReviewer, type ReviewerInput, type ReviewRecord } from './schema.ts';

/**
 * Set a store's tier: the admin CLI's `dream stores tier` only — no HTTP route calls this, so
 * nobody holding an API key can raise or lower a tier. Done under the store's write lock, so no
 * write is in flight while the tier changes; recorded as a review (who, when, why).
 */
export async function setTier(paths: RootPaths, storeId: unknown, tier: unknown, reviewer: ReviewerInput): Promise<{ tier: Tier; review: ReviewRecord | null }> {
  const id = assertId('store', storeId, 'memory_store_id');
  const to = parseTier(tier);
  const who = parseReviewer(reviewer);
  const files = new StoreFiles(paths, id);
  return locked(files, async () => {
    const from = await readTier(files.dir);
    if (from === to) return { tier: to, review: null };
    const review = await writeReview(paths, who, { ...blankFields(id), action: 'set_tier', tier: { from, to } });
    await writeTier(files.dir, { tier: to, set_at: review.created_at, set_by: who.actor, note: who.note, review_id: review.id });
    return { tier: to, review };
  });
}
