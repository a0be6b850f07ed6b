import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { merge } from '../../src/merger/merge.ts';
import { parseMemory } from '../../src/merger/parse.ts';
import { ev, finding, prng, sampleFindings, shuffle, sid } from './helpers.ts';

const fixture = (name: string): Promise<string> => readFile(new URL(`../fixtures/merger/${name}`, import.meta.url), 'utf8');
const byPath = (store: { path: string; content: string }[], prefix: string) => store.filter((m) => m.path.startsWith(prefix));

describe('merge', () => {
  it('merges one failure seen across sessions into one memory with counts and first/last seen', () => {
    const { store, entries } = merge([], sampleFindings());
    const failures = entries.filter((e) => e.kind === 'failure');
    expect(failures).toHaveLength(1);
    const f = failures[0]!;
    expect(f.occurrences).toBe(3);
    expect(f.sessions).toEqual([sid(1), sid(2), sid(3)]);
    expect(f.first_seen).toEqual({ at: '2024-05-01T10:00:00.000Z', session_id: sid(1) });
    expect(f.last_seen).toEqual({ at: '2024-05-03T10:00:00.000Z', session_id: sid(3) });
    expect(f.attributes).toEqual({ exit_code: 1 });
    expect(f.path).toMatch(/^\/failures\/npm-ci-fails-with-eresolve-peer-dependency-conflict-[0-9a-f]{8}\.md$/);
    expect(store.map((m) => m.path)).toContain('/README.md');
    for (const m of store.filter((x) => x.path !== '/README.md')) expect(parseMemory(m.path, m.content)).not.toBeNull();
  });

  it('merges near-duplicate titles with different keys, keeping both keys', () => {
    const { entries, report } = merge([], [
      finding({ kind: 'failure', key: 'a', title: 'Jest test suite times out after 5000 ms in CI', evidence: [ev(1, 1, 'timeout')] }),
      finding({ kind: 'failure', key: 'b', title: 'Jest test-suite times out after 5000 ms in CI!', evidence: [ev(2, 1, 'timeout')] }),
      finding({ kind: 'failure', key: 'c', title: 'Docker build fails: no space left on device', evidence: [ev(3, 1, 'ENOSPC')] }),
    ]);
    expect(entries.map((e) => e.keys.join(',')).sort()).toEqual(['a,b', 'c']);
    expect(entries.find((e) => e.keys.length === 2)!.occurrences).toBe(2);
    expect(report.merged).toHaveLength(1);
  });

  it('never infers a contradiction from similar facts with different keys', () => {
    const { entries } = merge([], [
      finding({ kind: 'fact', key: 'api port', title: 'The server listens on port 3000', value: '3000', evidence: [ev(1, 1, ':3000')] }),
      finding({ kind: 'fact', key: 'admin port', title: 'The server listens on port 3000', value: '4000', evidence: [ev(2, 1, ':4000')] }),
    ]);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.history.length === 0)).toBe(true);
  });

  it('resolves a contradiction to the latest value and keeps the old one, cited, in History', () => {
    const { entries, store, report } = merge([], sampleFindings());
    const port = entries.find((e) => e.keys.includes('dev server port'))!;
    expect(port.value).toBe('8080');
    expect(port.evidence.map((e) => e.quote)).toEqual(['listening on :8080']);
    expect(port.history).toEqual([
      {
        value: '3000',
        last_seen: { at: '2024-04-01T00:00:00.000Z', session_id: sid(1) },
        evidence: [{ ...ev(1, 3, 'listening on :3000'), observed_at: '2024-04-01T00:00:00.000Z' }],
      },
    ]);
    const text = store.find((m) => m.path === port.path)!.content;
    expect(text).toContain('## History');
    expect(report.contradictions).toEqual([{ path: port.path, keys: ['dev server port'], current: '8080', superseded: ['3000'] }]);
  });

  it('breaks ties without timestamps by sequence, then by content', () => {
    const mk = (value: string, sequence: number) =>
      finding({ kind: 'preference', key: 'indent', title: `Indent with ${value}`, value, sequence, evidence: [ev(sequence + 1, 1, value)] });
    expect(merge([], [mk('tabs', 5), mk('spaces', 2)]).entries[0]!.value).toBe('tabs');
    expect(merge([], [mk('spaces', 2), mk('tabs', 5)]).entries[0]!.value).toBe('tabs');
  });

  it('keeps foreign memories and untouched memories of a past dream byte-identical', async () => {
    const hand = await fixture('hand-written.md');
    const first = merge([{ path: '/notes/team.md', content: hand }], sampleFindings().slice(0, 4));
    const failurePath = first.entries.find((e) => e.kind === 'failure')!.path;
    const failureText = first.store.find((m) => m.path === failurePath)!.content;
    // Second dream: only new facts arrive; the failure and the notes are not touched.
    const second = merge(first.store, sampleFindings().slice(4));
    expect(second.store.find((m) => m.path === '/notes/team.md')!.content).toBe(hand);
    expect(second.store.find((m) => m.path === failurePath)!.content).toBe(failureText);
    expect(second.report.unchanged).toEqual(expect.arrayContaining(['/notes/team.md', failurePath]));
    expect(second.report.foreign).toEqual(['/notes/team.md']);
  });

  it('merges new findings into a memory from a past dream, keeping its sessions and superseding its value', () => {
    const first = merge([], sampleFindings().slice(4, 5)); // port 3000, 2024-04-01
    const second = merge(first.store, [
      finding({ kind: 'fact', key: 'dev server port', title: 'The dev server listens on port 9090', value: '9090', observed_at: '2024-07-01T00:00:00Z', evidence: [ev(9, 2, 'listening on :9090')] }),
    ]);
    const port = second.entries.find((e) => e.kind === 'fact')!;
    expect(port.path).toBe(first.entries[0]!.path); // a memory keeps its path across dreams
    expect(port.value).toBe('9090');
    expect(port.sessions).toEqual([sid(1), sid(9)]);
    expect(port.history.map((h) => h.value)).toEqual(['3000']);
    expect(second.report.updated).toContain(port.path);
  });

  it('keeps a hand-written README and writes the index beside it', async () => {
    const hand = await fixture('readme-hand.md');
    const { store, report } = merge([{ path: '/README.md', content: hand }], sampleFindings());
    expect(store.find((m) => m.path === '/README.md')!.content).toBe(hand);
    expect(report.index_path).toBe('/INDEX.md');
    expect(store.find((m) => m.path === '/INDEX.md')!.content).toContain('/README.md');
  });

  it('gives the same bytes whatever order the findings arrive in (20 seeded shuffles)', () => {
    const findings = [
      ...sampleFindings(),
      finding({ kind: 'fact', key: 'node version', title: 'CI uses Node 20', value: '20', evidence: [ev(5, 1, 'node v20.1.0')] }),
      finding({ kind: 'fact', key: 'node version', title: 'CI uses Node 18', value: '18', evidence: [ev(6, 1, 'node v18.2.0')] }),
      finding({ kind: 'insight', key: 'flaky:e2e', title: 'The e2e login test is flaky', evidence: [ev(7, 3, 'login.spec FAILED'), ev(8, 4, 'login.spec FAILED')] }),
      finding({ kind: 'insight', key: 'flaky:e2e-2', title: 'The e2e login test is flaky!', evidence: [ev(9, 3, 'login.spec FAILED')] }),
    ];
    const expected = JSON.stringify(merge([], findings));
    const rand = prng(20240501);
    for (let i = 0; i < 20; i++) expect(JSON.stringify(merge([], shuffle(findings, rand)))).toBe(expected);
  });

  it('is idempotent: merging its own output with no findings changes nothing', () => {
    const first = merge([], sampleFindings());
    const again = merge(first.store, []);
    expect(again.store).toEqual(first.store);
    const twice = merge(first.store, sampleFindings());
    expect(twice.store).toEqual(first.store);
  });

  it('bounds quotes (first 3 and last 2 sessions) but always lists every session', () => {
    const evidence = Array.from({ length: 12 }, (_, i) => ev(i + 1, 1, `boom ${'x'.repeat(400)}`, `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`));
    const { entries } = merge([], [finding({ kind: 'failure', key: 'boom', title: 'Boom', evidence })]);
    const e = entries[0]!;
    expect(e.sessions).toHaveLength(12);
    expect(e.evidence.map((x) => x.session_id)).toEqual([sid(1), sid(2), sid(3), sid(11), sid(12)]);
    expect(Array.from(e.evidence[0]!.quote).length).toBe(300);
  });

  it('redacts secrets from everything it writes', () => {
    const { store } = merge([], [
      finding({ kind: 'failure', key: 'deploy', title: 'Deploy fails with key AKIAABCDEFGHIJKLMNOP', body: 'token=ghp_' + 'a'.repeat(36), evidence: [ev(1, 1, 'postgres://app:s3cretpass@db/app')] }),
    ]);
    const all = store.map((m) => m.content).join('\n');
    expect(all).not.toMatch(/AKIAABCDEFGHIJKLMNOP|ghp_a{36}|s3cretpass/);
    expect(all).toContain('[REDACTED:');
  });

  it('keeps at most 2,000 memories, dropping the lowest-ranked and reporting them', () => {
    const many = Array.from({ length: 2003 }, (_, i) =>
      finding({ kind: 'insight', key: `k${i}`, title: `Signal ${i} seen`, evidence: i < 3 ? [ev(i + 1, 1, 'x')] : [ev(i + 1, 1, 'x'), ev(i + 5000, 1, 'y')] }),
    );
    const { store, report } = merge([], many);
    expect(store).toHaveLength(2000);
    expect(report.dropped_over_limit).toHaveLength(4);
    expect(byPath(store, '/insights/').length).toBe(1999);
  });

  it('refuses a malformed finding, naming it', () => {
    expect(() => merge([], [{ kind: 'failure', key: '', title: 't', evidence: [] } as never])).toThrow(/findings\[0\]/);
  });
});
