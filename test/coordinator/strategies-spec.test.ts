import { describe, expect, it } from 'vitest';
import { getStrategy, mergingOf, strategyOptions } from '../../src/coordinator/strategies/registry.ts';
import { formatSpec, parseSpec, splitSpecList } from '../../src/coordinator/strategies/spec.ts';
import { leavesByBatch, mergeTree, treeShape } from '../../src/coordinator/strategies/merging.ts';
import { merge } from '../../src/merger/merge.ts';
import { ev, finding, prng, shuffle } from '../merger/helpers.ts';

describe('strategy spec grammar', () => {
  it('parses batching and merging with options, and formats canonically (options sorted)', () => {
    const s = parseSpec('similarity:min-similarity=0.3,batch-size=8+hierarchical:fan-in=4');
    expect(s.batching).toEqual({ name: 'similarity', path: null, options: { 'min-similarity': 0.3, 'batch-size': 8 } });
    expect(s.merging).toEqual({ name: 'hierarchical', options: { 'fan-in': 4 } });
    expect(formatSpec(s)).toBe('similarity:batch-size=8,min-similarity=0.3+hierarchical:fan-in=4');
    expect(formatSpec(parseSpec('one-batch+flat'))).toBe('one-batch');
  });

  it('reads module paths, with options after the file name', () => {
    const s = parseSpec('./strategies/mine.ts:n=3+hierarchical', '/work');
    expect(s.batching).toEqual({ name: '/work/strategies/mine.ts', path: '/work/strategies/mine.ts', options: { n: 3 } });
    expect(s.merging.name).toBe('hierarchical');
  });

  it('splits a --strategies list where a comma starts a new spec, not another option', () => {
    expect(splitSpecList('fixed-count,similarity:batch-size=8,min-similarity=0.3+hierarchical:fan-in=2,one-batch')).toEqual([
      'fixed-count',
      'similarity:batch-size=8,min-similarity=0.3+hierarchical:fan-in=2',
      'one-batch',
    ]);
  });

  it('refuses malformed specs, unknown merges and options, naming them', () => {
    expect(() => parseSpec('')).toThrow('strategy spec is empty');
    expect(() => parseSpec('fixed-count:batch-size')).toThrow('strategy "fixed-count:batch-size": option "batch-size" is not key=number');
    expect(() => parseSpec('fixed-count:batch-size=4,batch-size=5')).toThrow('option batch-size given twice');
    expect(() => getStrategy('fixed-count:fan-in=2')).toThrow('--fan-in does not apply to strategy fixed-count (it reads: batch-size)');
    expect(() => getStrategy('one-batch+hierarchical:batch-size=2')).toThrow('--batch-size does not apply to strategy hierarchical (it reads: fan-in)');
    expect(() => getStrategy('fixed-count:batch-size=-1')).toThrow('option batch-size must be a positive number, got -1');
    const h = getStrategy('one-batch+hierarchical:fan-in=1');
    expect(() => strategyOptions(h, {})).toThrow('strategy hierarchical: option fan-in must be an integer from 2 to 1000, got 1');
  });

  it('a composite strategy carries every option both parts read, under its canonical name', async () => {
    const s = getStrategy('fixed-count:batch-size=2+hierarchical');
    expect(s.name).toBe('fixed-count:batch-size=2+hierarchical');
    expect(strategyOptions(s, {})).toEqual({ 'batch-size': 2, 'fan-in': 4 });
    expect(strategyOptions(s, { 'fan-in': 3 })).toEqual({ 'batch-size': 2, 'fan-in': 3 });
    expect(mergingOf(s.name)).toEqual({ name: 'hierarchical' });
    const plan = await s.plan([0, 1, 2].map((i) => ({ id: `s${i}`, sequence: i, bytes: 1, kind: 'build_log' })), { 'batch-size': 2, 'fan-in': 4 });
    expect(plan.map((b) => b.session_ids)).toEqual([['s0', 's1'], ['s2']]);
  });
});

describe('merge trees', () => {
  it('has ⌈n/f⌉ + ⌈n/f²⌉ + … merge calls; flat has one', () => {
    expect(treeShape(10, 3)).toEqual([4, 2, 1]);
    expect(treeShape(4, 4)).toEqual([1]);
    expect(treeShape(1, 2)).toEqual([1]);
    const leaves = Array.from({ length: 10 }, () => []);
    expect(mergeTree(leaves, 'hierarchical', { 'fan-in': 3 }).stats).toMatchObject({ merge_calls: 7, depth: 3, leaves: 10 });
    expect(mergeTree(leaves, 'flat', {}).stats).toMatchObject({ merge_calls: 1, depth: 1, fan_in: null });
  });

  // Findings spread over 7 sessions (one batch each): recurring failures, a contradicted fact.
  const findings = [
    ...[1, 2, 3, 5].map((s) => finding({ kind: 'failure', key: 'npm-eresolve', title: 'npm ci fails with ERESOLVE', evidence: [ev(s, 10 + s, 'npm ERR! code ERESOLVE')], sequence: s })),
    ...[2, 4, 6].map((s) => finding({ kind: 'failure', key: 'jest-timeout', title: 'jest times out', evidence: [ev(s, 40, 'Timeout - Async callback')], sequence: s })),
    finding({ kind: 'fact', key: 'node-version', title: 'Node version', value: '18', evidence: [ev(1, 3, 'node v18')], observed_at: '2026-01-01T00:00:00Z', sequence: 1 }),
    finding({ kind: 'fact', key: 'node-version', title: 'Node version', value: '20', evidence: [ev(7, 3, 'node v20')], observed_at: '2026-02-01T00:00:00Z', sequence: 7 }),
  ];
  const plan = { strategy: 'x', batches: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ id: `b${n}`, session_ids: [`sesn_${String(n).padStart(8, '0')}`] })) };

  it('gives the same store as a flat merge, whatever the fan-in and the order findings arrive in (local merge)', () => {
    const flatStore = merge([], mergeTree(leavesByBatch(findings, plan), 'flat', {}).findings).store;
    expect(flatStore).toEqual(merge([], findings).store);
    const rand = prng(3);
    for (const fanIn of [2, 3, 4]) {
      const shuffled = shuffle(findings, rand);
      const tree = mergeTree(leavesByBatch(shuffled, plan), 'hierarchical', { 'fan-in': fanIn });
      expect(merge([], tree.findings).store).toEqual(flatStore);
      expect(tree.stats.merge_calls).toBe(treeShape(7, fanIn).reduce((a, b) => a + b, 0));
      // Every internal node built a real intermediate store.
      expect(tree.stats.node_memories.flat().every((n) => n >= 1)).toBe(true);
    }
  });

  it('puts a finding in the leaf of the earliest batch it cites', () => {
    const cross = finding({ kind: 'insight', key: 'x', title: 'x', evidence: [ev(6, 1, 'a'), ev(2, 1, 'b')] });
    const leaves = leavesByBatch([cross], plan);
    expect(leaves[1]).toEqual([cross]);
    expect(leaves.flat()).toHaveLength(1);
  });
});
