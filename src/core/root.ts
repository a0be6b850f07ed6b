import { join, resolve } from 'node:path';
import { assertId } from './ids.ts';

/**
 * The shared filesystem layout (documented in shared-fs/README.md). Every id is validated before
 * it becomes part of a path, so a hostile id can never escape the root.
 *
 *   <root>/sessions/<sesn_…>/session.json, events.jsonl, original[.gz]
 *   <root>/stores/<memstore_…>/store.json, memories/<mem_…>.json, versions/<memver_…>.json, tree/<path>
 *   <root>/dreams/<drm_…>/dream.json, plan.json, findings/<batch>.json, candidate/, evaluations/, report.md
 *   <root>/quarantine/<qrn_…>.json   (memory writes refused by screening, with reasons and evidence)
 *   <root>/reviews/<rev_…>.json      (review actions: approve, reject, promote, rollback, tier changes)
 */
export class RootPaths {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get sessionsDir(): string {
    return join(this.root, 'sessions');
  }
  session(id: string): string {
    return join(this.sessionsDir, assertId('session', id));
  }

  get storesDir(): string {
    return join(this.root, 'stores');
  }
  store(id: string): string {
    return join(this.storesDir, assertId('store', id));
  }

  get dreamsDir(): string {
    return join(this.root, 'dreams');
  }
  dream(id: string): string {
    return join(this.dreamsDir, assertId('dream', id));
  }

  get quarantineDir(): string {
    return join(this.root, 'quarantine');
  }
  quarantine(id: string): string {
    return join(this.quarantineDir, `${assertId('quarantine', id)}.json`);
  }

  get reviewsDir(): string {
    return join(this.root, 'reviews');
  }
  review(id: string): string {
    return join(this.reviewsDir, `${assertId('review', id, 'review_id')}.json`);
  }

  get locksDir(): string {
    return join(this.root, 'locks');
  }
}

/** The root from --root, then DREAM_ROOT, then ./shared-fs. */
export function resolveRoot(flag?: string): RootPaths {
  return new RootPaths(flag ?? process.env.DREAM_ROOT ?? 'shared-fs');
}
