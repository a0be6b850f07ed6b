import type { BetaManagedAgentsMemoryStore } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-stores';
import { PermissionError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { StoreFiles } from '../memory/store-files.ts';
import type { StoreRecord } from '../memory/schema.ts';
import { DEFAULT_TIER, isTrusted, readTier, TIER_METADATA_KEY, type Tier } from './tier.ts';

/**
 * Where tiers are enforced. MemoryStoreRepo opens every write through `TierGuardedFiles`
 * (unless it was built privileged, which only src/review-actions does), and every write path
 * reads store.json through it — once before taking the store's lock and once under it — so a
 * write to a trusted store is refused whoever asks: an API client, a dream updating its input
 * store, a CLI command.
 */

export function readOnlyTierError(storeId: string, tier: Tier, what?: string): PermissionError {
  return new PermissionError(
    'store_read_only_tier',
    `memory_store_id: ${storeId} is ${tier === 'org' ? 'an' : 'a'} ${tier}-tier store, read-only to dreams and API clients${what ? ` (${what})` : ''}; ` +
      'change it only through a recorded review: `dream promote`, `dream rollback`, or the /v1/review endpoints',
  );
}

export async function assertTierWritable(storeDir: string, storeId: string, what?: string): Promise<void> {
  const tier = await readTier(storeDir);
  if (isTrusted(tier)) throw readOnlyTierError(storeId, tier, what);
}

export class TierGuardedFiles extends StoreFiles {
  constructor(root: RootPaths, storeId: string) {
    super(root, storeId);
  }

  override async readStore(): Promise<StoreRecord> {
    const rec = await super.readStore();
    await assertTierWritable(this.dir, rec.id);
    return rec;
  }
}

/**
 * A client may send the tier key back unchanged (a read-modify-write of metadata) or try to
 * remove it from a working store; both are no-ops and are dropped. Any other value is an attempt
 * to set the tier through the API, which only the admin CLI can do.
 */
export function stripTierKey<T extends string | null>(metadata: Record<string, T> | null | undefined, storeId: string | null, current: Tier = DEFAULT_TIER): Record<string, T> | null | undefined {
  if (metadata == null || !Object.hasOwn(metadata, TIER_METADATA_KEY)) return metadata;
  const value = metadata[TIER_METADATA_KEY];
  if (value !== null && value !== current) {
    throw new PermissionError(
      'store_tier_not_settable',
      `metadata.${TIER_METADATA_KEY}: ${JSON.stringify(value)} cannot be set through the API${storeId ? ` (store ${storeId} is ${current})` : ''}; ` +
        'a store\'s tier is set only by an administrator with `dream stores tier <store> org|project|working`',
    );
  }
  const out = { ...metadata };
  delete out[TIER_METADATA_KEY];
  return out;
}

/** The API object with a trusted store's tier shown as read-only metadata (working stores show none). */
export async function withTier(store: BetaManagedAgentsMemoryStore, storeDir: string): Promise<BetaManagedAgentsMemoryStore> {
  const tier = await readTier(storeDir);
  if (!isTrusted(tier)) return store;
  return { ...store, metadata: { ...store.metadata, [TIER_METADATA_KEY]: tier } };
}
