import { describe, expect, it } from 'vitest';
import { getStrategy, resolveStrategy, strategyNames, strategyOptions } from '../../src/coordinator/strategies/registry.ts';
import type { SessionSummary } from '../../src/coordinator/strategies/types.ts';

const sessions: SessionSummary[] = [100, 900, 50, 50, 2000, 10].map((bytes, i) => ({ id: `s${i}`, sequence: i, bytes, kind: 'build_log' }));

describe('batching strategies', () => {
  it('fixed-count cuts sessions in input order', async () => {
    const plan = await getStrategy('fixed-count').plan(sessions, { 'batch-size': 4 });
    expect(plan).toEqual([
      { id: 'b0001', session_ids: ['s0', 's1', 's2', 's3'] },
      { id: 'b0002', session_ids: ['s4', 's5'] },
    ]);
  });

  it('byte-budget fills batches up to the budget and isolates oversized sessions', async () => {
    const plan = await getStrategy('byte-budget').plan(sessions, { 'batch-bytes': 1000 });
    expect(plan.map((b) => b.session_ids)).toEqual([['s0', 's1'], ['s2', 's3'], ['s4'], ['s5']]);
  });

  it('one-batch puts everything together', async () => {
    expect(await getStrategy('one-batch').plan(sessions, {})).toEqual([{ id: 'b0001', session_ids: sessions.map((s) => s.id) }]);
  });

  it('every session lands in exactly one batch, for every strategy that plans from summaries alone', async () => {
    for (const name of ['fixed-count', 'byte-budget', 'one-batch']) {
      const s = getStrategy(name);
      const ids = (await s.plan(sessions, s.defaults)).flatMap((b) => b.session_ids);
      expect(ids).toEqual(sessions.map((x) => x.id));
    }
  });

  it('refuses unknown strategies and options with a clear message', async () => {
    expect(() => getStrategy('nope')).toThrow(/unknown strategy "nope" in "nope"; known: fixed-count, byte-budget, token-budget, similarity, by-source, time-window, one-batch/);
    expect(() => strategyOptions(getStrategy('fixed-count'), { 'batch-bytes': 10 })).toThrow('--batch-bytes does not apply to strategy fixed-count');
    expect(() => strategyOptions(getStrategy('fixed-count'), { 'batch-size': 0 })).toThrow(/must be a positive number/);
    expect(() => strategyOptions(getStrategy('fixed-count'), { 'batch-size': 2.5 })).toThrow('strategy fixed-count: option batch-size must be an integer from 1 to 9007199254740991, got 2.5');
    expect(() => strategyOptions(getStrategy('similarity'), { 'min-similarity': 1.5 })).toThrow('strategy similarity: option min-similarity must be a number from 0 to 1, got 1.5');
    await expect(resolveStrategy('nope')).rejects.toThrow(/unknown strategy/);
    expect(strategyNames()).toContain('similarity');
  });

  it('a plain name resolves to the built-in itself (runs recorded before specs existed still resolve)', () => {
    expect(getStrategy('fixed-count').name).toBe('fixed-count');
    expect(getStrategy('fixed-count+flat').name).toBe('fixed-count');
  });
});
