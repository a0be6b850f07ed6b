import { join } from 'node:path';
import { RootPaths } from '../../src/core/root.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import type { Actor } from '../../src/memory/schema.ts';
import { setTier } from '../../src/review-actions/set-tier.ts';
import type { Tier } from '../../src/tiers/tier.ts';
import { hashTree, tempRoot } from '../helpers/cli.ts';

export const agent: Actor = { type: 'api_actor', api_key_id: 'key_agent01' };

export interface TierFixture {
  root: string;
  paths: RootPaths;
  repo: MemoryStoreRepo;
  /** A store with two memories, at the given tier. */
  store(name: string, tier: Tier, memories?: Record<string, string>): Promise<string>;
  /** sha256 of every file of a store's directory: proof that nothing was touched. */
  hash(storeId: string): Promise<Record<string, string>>;
}

export async function tierFixture(): Promise<TierFixture> {
  const root = await tempRoot('dw-tiers-');
  const paths = new RootPaths(root);
  const repo = new MemoryStoreRepo(paths);
  return {
    root,
    paths,
    repo,
    async store(name, tier, memories = { '/facts/a.md': 'A\n', '/facts/b.md': 'B\n' }) {
      const s = await repo.createStore({ name });
      for (const [path, content] of Object.entries(memories)) await repo.createMemory(s.id, { path, content }, agent);
      if (tier !== 'working') await setTier(paths, s.id, tier, { reviewer: 'admin', note: `make ${name} ${tier}` });
      return s.id;
    },
    hash: (id) => hashTree(join(root, 'stores', id)),
  };
}

export { caught } from '../memory/helpers.ts';
