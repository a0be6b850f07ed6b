import { describe, expect, it } from 'vitest';
import { DrainTree, WILDCARD } from '../../../src/engine/local/templates/drain-tree.ts';
import { DEFAULT_DRAIN } from '../../../src/engine/local/templates/miner.ts';

const tree = () => new DrainTree({ ...DEFAULT_DRAIN });
const add = (t: DrainTree, line: string) => t.add(line.split(' '), 0, '');

describe('DrainTree', () => {
  it('lets short lines (no mismatch allowed) join only on equal constants, any placeholder for a variable', () => {
    const t = tree();
    const a = add(t, 'retry <NUM>');
    expect(add(t, 'retry <HEX>')).toBe(a);
    expect(a.tokens).toEqual(['retry', WILDCARD]);
    expect(add(t, 'retry <IP>')).toBe(a);
    expect(add(t, 'retry later')).not.toBe(a);
    expect(add(t, 'retry later')).toBe(add(t, 'retry later'));
    expect(add(t, 'Retry <NUM>')).not.toBe(a);
    expect(a.count).toBe(3);
  });

  it('generalizes long lines within the threshold and refuses lines with too many new words', () => {
    const t = tree();
    const a = add(t, 'connection to <IP> closed by peer after <DUR> idle');
    const b = add(t, 'connection to <IP> closed by server after <DUR> idle');
    expect(b).toBe(a);
    expect(a.tokens.join(' ')).toBe(`connection to <IP> closed by ${WILDCARD} after <DUR> idle`);
    expect(a.version).toBe(1);
    // Three words no template holds, out of eight: below 70 % similarity.
    expect(add(t, 'connection to <IP> reset by firewall without <DUR> idle')).not.toBe(a);
    expect(t.clusters().map((c) => c.seq)).toEqual([0, 1]);
  });

  it('prefers, among equally similar clusters, the one with more wildcards over the older one', () => {
    const t = tree();
    const older = add(t, 'job build step r w z');
    const a = add(t, 'job build step p y z');
    expect(add(t, 'job build step q y z')).toBe(a);
    expect(a.tokens.join(' ')).toBe(`job build step ${WILDCARD} y z`);
    // One mismatch against each (5 of 6 equal); `a` has a wildcard.
    expect(add(t, 'job build step r y z')).toBe(a);
    expect(older.count).toBe(1);
  });
});
