import { describe, expect, it } from 'vitest';
import type { Evidence, Finding, RunSummary } from '../../src/engine/findings.ts';
import { crossRunFindings, flagIncomplete, planCrossRun } from '../../src/engine/local/cross-run.ts';

const ev = (session: string, quote: string, line = 1): Evidence => ({ session_id: session, event_id: `sevt_${session}`, lines: [line, line], quote, observed_at: null });

function run(i: number, opts: Partial<RunSummary> & { keys?: string[] } = {}): RunSummary {
  const id = `sesn_run${i}`;
  return {
    session_id: id,
    sequence: i,
    observed_at: `2026-01-0${i}T00:00:00Z`,
    job: opts.job ?? 'acme/api',
    revision: opts.revision ?? null,
    status: opts.status ?? ((opts.keys ?? []).length ? 'failed' : 'passed'),
    status_evidence: ev(id, 'Process completed with exit code 0', 90),
    revision_evidence: opts.revision ? ev(id, `HEAD is now at ${opts.revision}`, 2) : null,
    failure_keys: opts.keys ?? [],
    incomplete: opts.incomplete ?? null,
    end_evidence: ev(id, 'last line', 99),
  };
}

function failure(key: string, session: string): Finding {
  return {
    kind: 'failure',
    key,
    title: `Build fails: ${key}`,
    body: '',
    value: null,
    observed_at: null,
    sequence: 0,
    evidence: [ev(session, `error ${key}`, 50)],
    attributes: { signature: `error ${key}` },
    confidence: 0.9,
  };
}

describe('cross-run analysis', () => {
  it('marks a failure that fails and passes at the same revision as flaky, with both sides cited', () => {
    const runs = [run(1, { revision: 'aaa', keys: ['log:t'] }), run(2, { revision: 'aaa' }), run(3, { revision: 'bbb' })];
    const plan = planCrossRun(runs);
    expect(plan.flaky.map((f) => [f.key, f.sameRevision, f.fails.map((r) => r.session_id), f.passes.map((r) => r.session_id)])).toEqual([
      ['log:t', true, ['sesn_run1'], ['sesn_run2']],
    ]);
    // Same revision fail → pass is not a fix.
    expect(plan.fixes).toEqual([]);
    const [flaky] = crossRunFindings(plan, [failure('log:t', 'sesn_run1')], new Map());
    expect(flaky!.kind).toBe('insight');
    expect(flaky!.evidence.map((e) => e.session_id)).toEqual(['sesn_run1', 'sesn_run2']);
  });

  it('without revisions, needs fail → pass → fail to call it flaky', () => {
    expect(planCrossRun([run(1, { keys: ['log:t'] }), run(2), run(3, { keys: ['log:t'] })]).flaky).toHaveLength(1);
    expect(planCrossRun([run(1, { keys: ['log:t'] }), run(2, { keys: ['log:t'] }), run(3)]).flaky).toHaveLength(0);
  });

  it('records the first passing run after a failure stops, with what differed', () => {
    const runs = [run(1, { revision: 'aaa', keys: ['log:dep'] }), run(2, { revision: 'aaa', keys: ['log:dep'] }), run(3, { revision: 'bbb', keys: ['log:other'] }), run(4, { revision: 'ccc' })];
    const plan = planCrossRun(runs);
    const fix = plan.fixes.find((f) => f.key === 'log:dep')!;
    expect([fix.lastFail.session_id, fix.firstPass.session_id, fix.failedRuns]).toEqual(['sesn_run2', 'sesn_run4', 2]);
    const diff = { onlyInFail: [{ template: 'npm ERR! ERESOLVE', evidence: ev('sesn_run2', 'npm ERR! ERESOLVE', 7) }], onlyInPass: [{ template: 'added <NUM> packages', evidence: ev('sesn_run4', 'added 815 packages', 5) }] };
    const findings = crossRunFindings(plan, [failure('log:dep', 'sesn_run1'), failure('log:dep', 'sesn_run2'), failure('log:other', 'sesn_run3')], new Map([['sesn_run2\0sesn_run4', diff]]));
    const dep = findings.find((f) => f.attributes.signature === 'error log:dep')!;
    expect(dep.kind).toBe('workaround');
    expect(dep.body).toContain('The revision changed from aaa to ccc.');
    expect(dep.body).toContain('`added <NUM> packages`');
    expect(dep.evidence.map((e) => e.quote)).toEqual(['error log:dep', 'Process completed with exit code 0', 'added 815 packages', 'npm ERR! ERESOLVE']);
  });

  it('compares runs only within a job', () => {
    const plan = planCrossRun([run(1, { job: 'a', revision: 'r', keys: ['log:t'] }), run(2, { job: 'b', revision: 'r' })]);
    expect(plan.flaky).toEqual([]);
    expect(plan.fixes).toEqual([]);
  });

  it('flags incomplete logs: never a pass, an insight citing where each stops, and a flag on their failures', () => {
    const runs = [run(1, { keys: ['log:t'], incomplete: 'gzip stream ended early' }), run(2, { status: 'unknown', incomplete: 'no final status line' })];
    const plan = planCrossRun(runs);
    expect(plan.incomplete.map((r) => r.session_id)).toEqual(['sesn_run1', 'sesn_run2']);
    const insight = crossRunFindings(plan, [], new Map()).find((f) => f.key === 'incomplete:acme/api')!;
    expect(insight.body).toContain('gzip stream ended early');
    expect(insight.evidence.map((e) => e.quote)).toEqual(['last line', 'last line']);
    const [flagged] = flagIncomplete([failure('log:t', 'sesn_run1')], runs);
    expect(flagged!.attributes.seen_in_incomplete_log).toBe(true);
  });
});
