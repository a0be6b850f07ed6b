import type { BetaDreamStatus } from '@anthropic-ai/sdk/resources/beta/dreams';
import { DreamworkError, InvalidInputError } from '../core/errors.ts';

/**
 * The dream state machine: pending → running → completed | failed | canceled.
 * Final states are final; cancel is idempotent on canceled and refused on completed/failed.
 */
export type DreamStatus = BetaDreamStatus;

const LEGAL: Record<DreamStatus, readonly DreamStatus[]> = {
  pending: ['running', 'canceled', 'failed'],
  running: ['completed', 'failed', 'canceled'],
  completed: [],
  failed: [],
  canceled: [],
};

export const FINAL_STATES: readonly DreamStatus[] = ['completed', 'failed', 'canceled'];

export function isFinal(status: DreamStatus): boolean {
  return FINAL_STATES.includes(status);
}

export function canMove(from: DreamStatus, to: DreamStatus): boolean {
  return LEGAL[from].includes(to);
}

/** Refuse an illegal move with an error that names both states. */
export function assertMove(dreamId: string, from: DreamStatus, to: DreamStatus): void {
  if (!canMove(from, to)) {
    throw new DreamworkError('illegal_transition', `dream ${dreamId}: cannot move from ${from} to ${to}`, {
      type: 'invalid_request_error',
      status: 400,
      exitCode: 2,
    });
  }
}

/** What `cancel` does from each state: idempotent on canceled, refused on completed/failed. */
export function cancelOutcome(dreamId: string, from: DreamStatus): 'cancel' | 'noop' {
  if (from === 'canceled') return 'noop';
  if (from === 'completed' || from === 'failed') {
    throw new InvalidInputError('dream_not_cancelable', `dream ${dreamId} is ${from}; only pending or running dreams can be canceled`);
  }
  return 'cancel';
}

/** Archive is separate from status and allowed only on final dreams. */
export function assertArchivable(dreamId: string, status: DreamStatus): void {
  if (!isFinal(status)) {
    throw new InvalidInputError('dream_not_archivable', `dream ${dreamId} is ${status}; only completed, failed or canceled dreams can be archived`);
  }
}
