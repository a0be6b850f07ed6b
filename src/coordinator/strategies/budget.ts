import type { Batch } from '../../dreams/schema.ts';
import { toBatches, type SessionSummary } from './types.ts';

/**
 * Fill batches in input order until adding the next session would pass `budget`; a session
 * larger than the budget gets a batch of its own. Shared by the byte and token budgets.
 */
export function fillByBudget(sessions: readonly SessionSummary[], sizeOf: (s: SessionSummary) => number, budget: number): Batch[] {
  const groups: SessionSummary[][] = [];
  let current: SessionSummary[] = [];
  let used = 0;
  for (const s of sessions) {
    const size = sizeOf(s);
    if (current.length > 0 && used + size > budget) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(s);
    used += size;
  }
  groups.push(current);
  return toBatches(groups);
}
