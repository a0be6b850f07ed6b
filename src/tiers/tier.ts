import { join } from 'node:path';
import { z } from 'zod';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import { InvalidInputError } from '../core/errors.ts';
import { Actor } from '../memory/schema.ts';

/**
 * A store's trust tier. `org` and `project` stores are trusted: dreams may read them, but only a
 * recorded review action (src/review-actions) may change their memories. `working` stores (the
 * default) are read-write to everyone.
 *
 * The tier lives in its own file, stores/<memstore_…>/tier.json, not in store.json's metadata:
 * a client's plain store update rewrites store.json, so a tier kept there could be raised or
 * dropped by anyone with an API key. Only `writeTier` (called by `dream stores tier`) writes
 * tier.json; the API shows it as the read-only metadata key below.
 */
export const Tier = z.enum(['org', 'project', 'working']);
export type Tier = z.infer<typeof Tier>;

export const DEFAULT_TIER: Tier = 'working';

/** The metadata key under which a trusted store's tier appears in API objects. */
export const TIER_METADATA_KEY = 'dreamwork.tier';

export const TierRecord = z
  .object({
    tier: Tier,
    set_at: z.string().min(1),
    set_by: Actor,
    note: z.string(),
    /** The review record of the change (reviews/<rev_…>.json). */
    review_id: z.string().regex(/^rev_[A-Za-z0-9]{8,64}$/),
  })
  .strict();
export type TierRecord = z.infer<typeof TierRecord>;

export function isTrusted(tier: Tier): boolean {
  return tier !== 'working';
}

export function parseTier(value: unknown, field = 'tier'): Tier {
  const r = Tier.safeParse(value);
  if (!r.success) throw new InvalidInputError('invalid_tier', `${field}: ${JSON.stringify(value)} is not a tier (org, project or working)`, { field });
  return r.data;
}

function tierFile(storeDir: string): string {
  return join(storeDir, 'tier.json');
}

export async function readTierRecord(storeDir: string): Promise<TierRecord | undefined> {
  return readJsonIfExists(tierFile(storeDir), TierRecord);
}

/** The store's tier; a store without tier.json is a working store. */
export async function readTier(storeDir: string): Promise<Tier> {
  return (await readTierRecord(storeDir))?.tier ?? DEFAULT_TIER;
}

/** Only for src/review-actions/set-tier.ts, which holds the store's lock and records the change. */
export async function writeTier(storeDir: string, rec: TierRecord): Promise<void> {
  await writeJsonAtomic(tierFile(storeDir), TierRecord.parse(rec));
}
