import { describe, expect, it } from 'vitest';
import { assertArchivable, assertMove, canMove, cancelOutcome, isFinal, type DreamStatus } from '../../src/dreams/lifecycle.ts';

const ALL: DreamStatus[] = ['pending', 'running', 'completed', 'failed', 'canceled'];

describe('dream state machine', () => {
  it('allows exactly the moves of the contract', () => {
    const legal = ALL.flatMap((from) => ALL.filter((to) => canMove(from, to)).map((to) => `${from}->${to}`));
    expect(legal).toEqual([
      'pending->running',
      'pending->failed',
      'pending->canceled',
      'running->completed',
      'running->failed',
      'running->canceled',
    ]);
  });

  it('refuses moves out of a final state, naming both states', () => {
    for (const from of ['completed', 'failed', 'canceled'] as const) {
      expect(isFinal(from)).toBe(true);
      expect(() => assertMove('drm_x', from, 'running')).toThrow(`cannot move from ${from} to running`);
    }
  });

  it('makes cancel idempotent on canceled and refuses it on completed and failed', () => {
    expect(cancelOutcome('drm_x', 'pending')).toBe('cancel');
    expect(cancelOutcome('drm_x', 'running')).toBe('cancel');
    expect(cancelOutcome('drm_x', 'canceled')).toBe('noop');
    expect(() => cancelOutcome('drm_x', 'completed')).toThrow(/is completed; only pending or running/);
    expect(() => cancelOutcome('drm_x', 'failed')).toThrow(/is failed/);
  });

  it('archives only final dreams', () => {
    expect(() => assertArchivable('drm_x', 'running')).toThrow(/only completed, failed or canceled/);
    expect(() => assertArchivable('drm_x', 'pending')).toThrow(/only completed/);
    for (const s of ['completed', 'failed', 'canceled'] as const) expect(() => assertArchivable('drm_x', s)).not.toThrow();
  });
});
