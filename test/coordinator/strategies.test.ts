import { describe, expect, it } from 'vitest';
import { getStrategy, strategyNames, strategyOptions } from '../../src/coordinator/strategies/registry.ts';
import type { SessionSummary } from '../../src/coordinator/strategies/types.ts';

const sessions: SessionSummary[] = [100, 900, 50, 50, 2000, 10].map((bytes, i) => ({ id: `s${i}`, sequence: i, bytes, kind: 'build_log' }));

describe('batching strategies', () => {
  it('fixed-count cuts sessions in input order', () => {
    const plan = getStrategy('fixed-count').plan(sessions, { 'batch-size': 4 });
    expect(plan).toEqual([
      { id: 'b0001', session_ids: ['s0', 's1', 's2', 's3'] },
      { id: 'b0002', session_ids: ['s4', 's5'] },
    ]);
  });

  it('byte-budget fills batches up to the budget and isolates oversized sessions', () => {
    const plan = getStrategy('byte-budget').plan(sessions, { 'batch-bytes': 1000 });
    expect(plan.map((b) => b.session_ids)).toEqual([['s0', 's1'], ['s2', 's3'], ['s4'], ['s5']]);
  });

  it('one-batch puts everything together', () => {
    expect(getStrategy('one-batch').plan(sessions, {})).toEqual([{ id: 'b0001', session_ids: sessions.map((s) => s.id) }]);
  });

  it('every session lands in exactly one batch, for every strategy', () => {
    for (const name of strategyNames()) {
      const s = getStrategy(name);
      const ids = s.plan(sessions, s.defaults).flatMap((b) => b.session_ids);
      expect(ids).toEqual(sessions.map((x) => x.id));
    }
  });

  it('refuses unknown strategies and options with a clear message', () => {
    expect(() => getStrategy('nope')).toThrow(/unknown strategy "nope"; known: fixed-count, byte-budget, one-batch/);
    expect(() => strategyOptions(getStrategy('fixed-count'), { 'batch-bytes': 10 })).toThrow('--batch-bytes does not apply to strategy fixed-count');
    expect(() => strategyOptions(getStrategy('fixed-count'), { 'batch-size': 0 })).toThrow(/must be a positive number/);
  });
});
