import { diffStores, type MemoryDiff } from '../memory/diff.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import type { Tier } from '../tiers/tier.ts';
import type { ReviewAction } from './schema.ts';
import { previewToken, snapshotState } from './state.ts';

/**
 * What a review action will do, shown before it does it: per memory path, added / changed /
 * removed with a unified diff. `expected_state` goes back with the apply; if the store moved in
 * between, the apply is refused with 409 `review_stale`.
 */
export interface Preview {
  action: ReviewAction;
  /** The store whose memories change (for approve/reject: the dream's output store). */
  memory_store_id: string;
  tier: Tier;
  from_memory_store_id: string | null;
  dream_id: string | null;
  paths: string[] | null;
  to_review_id: string | null;
  to_seq: number | null;
  /** What else happens besides memory changes, in words (approve: "recorded only"). */
  effect: string;
  changes: MemoryDiff[];
  summary: { added: number; changed: number; removed: number };
  expected_state: string;
}

/** A preview plus what apply needs: the exact target snapshot and the state it was computed from. */
export interface Plan {
  preview: Preview;
  current: StoreSnapshot;
  desired: StoreSnapshot;
  currentState: string;
}

export function summarize(changes: readonly MemoryDiff[]): Preview['summary'] {
  return {
    added: changes.filter((c) => c.status === 'added').length,
    changed: changes.filter((c) => c.status === 'changed').length,
    removed: changes.filter((c) => c.status === 'removed').length,
  };
}

type PreviewHead = Omit<Preview, 'changes' | 'summary' | 'expected_state'>;

/** A plan that turns `current` into `desired`. */
export function makePlan(head: PreviewHead, current: StoreSnapshot, desired: StoreSnapshot): Plan {
  const changes = diffStores(current, desired);
  const currentState = snapshotState(current);
  return {
    preview: { ...head, changes, summary: summarize(changes), expected_state: previewToken(head.action, currentState, snapshotState(desired)) },
    current,
    desired,
    currentState,
  };
}
