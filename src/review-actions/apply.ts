import { ConflictError, InvalidInputError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import type { Plan } from './preview.ts';
import { blankFields, writeReview, type ReviewFields } from './records.ts';
import type { ReviewRecord, Reviewer } from './schema.ts';
import { snapshotState, stateOf } from './state.ts';

export function staleError(storeId: string, why: string): ConflictError {
  return new ConflictError('review_stale', `expected_state: ${why} since the preview (store ${storeId}); preview again and review the new diff`, 'conflict_error', {
    memory_store_id: storeId,
  });
}

/** The preview the client saw must be the one just recomputed from the current state. */
export function checkExpected(plan: Plan, expected: unknown): void {
  if (typeof expected !== 'string' || expected === '') {
    throw new InvalidInputError('missing_expected_state', 'expected_state: required: the expected_state of the preview you reviewed', { field: 'expected_state' });
  }
  if (expected !== plan.preview.expected_state) throw staleError(plan.preview.memory_store_id, 'the stores or the selection changed');
}

/**
 * Write exactly the previewed change as versions attributed to the reviewer, then the review
 * record naming them. The target's state is checked again under its write lock, so a write
 * that slipped in after the preview is never overwritten. Only this path uses a privileged
 * repo: it is how trusted stores change.
 */
export async function applyPlan(paths: RootPaths, plan: Plan, expected: unknown, who: Reviewer, fields: Partial<ReviewFields>): Promise<ReviewRecord> {
  checkExpected(plan, expected);
  const storeId = plan.preview.memory_store_id;
  if (plan.preview.changes.length === 0) {
    throw new InvalidInputError('review_no_changes', `memory store ${storeId} already holds exactly what this ${plan.preview.action} would write; nothing to do`);
  }
  const repo = new MemoryStoreRepo(paths, { privileged: true });
  const result = await repo.applyChecked(storeId, plan.desired, who.actor, (live) => {
    if (stateOf(live) !== plan.currentState) throw staleError(storeId, 'its memories changed');
  });
  const first = result.versions[0];
  return writeReview(paths, who, {
    ...blankFields(storeId),
    ...fields,
    action: plan.preview.action,
    seq_before: first ? first.seq - 1 : null,
    version_ids: result.versions.map((v) => v.id),
    changes: plan.preview.changes.map((c) => ({ path: c.path, status: c.status })),
    state_before: plan.currentState,
    state_after: snapshotState(plan.desired),
  });
}
