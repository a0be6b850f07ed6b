import { Command } from 'commander';
import { assertId } from '../../core/ids.ts';
import { MemoryStoreRepo } from '../../memory/repo.ts';
import { setTier } from '../../review-actions/set-tier.ts';
import { readTierRecord } from '../../tiers/tier.ts';
import { openContext } from '../context.ts';
import { printJson, printLines } from '../output.ts';

/**
 * `dream stores tier <store> [org|project|working]`: the only way to set a tier. It is an admin
 * command on the shared filesystem; `dream serve` has no route for it.
 */
export function tierCommand(): Command {
  return new Command('tier')
    .description("Show or set a store's tier (org and project stores are read-only to dreams and API clients)")
    .argument('<memstore_id>')
    .argument('[tier]', 'org, project or working')
    .option('--reviewer <name>', 'who is changing the tier (recorded); needed to set one')
    .option('--note <text>', 'why (recorded); needed to set one')
    .action(async (store: string, tier: string | undefined, o: { reviewer?: string; note?: string }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      if (tier === undefined) {
        await new MemoryStoreRepo(ctx.paths).getStore(store);
        const rec = await readTierRecord(ctx.paths.store(assertId('store', store, 'memory_store_id')));
        if (ctx.json) return printJson({ memory_store_id: store, tier: rec?.tier ?? 'working', set: rec ?? null });
        return printLines([rec ? `${store}: ${rec.tier} (set by ${rec.set_by.type === 'user_actor' ? rec.set_by.user_id : '?'} at ${rec.set_at}, review ${rec.review_id})` : `${store}: working`]);
      }
      const out = await setTier(ctx.paths, store, tier, { reviewer: o.reviewer, note: o.note });
      if (ctx.json) return printJson({ memory_store_id: store, tier: out.tier, review: out.review });
      printLines([out.review ? `${store}: ${out.review.tier!.from} → ${out.tier} (review ${out.review.id})` : `${store} already is ${out.tier}; nothing recorded`]);
    });
}
