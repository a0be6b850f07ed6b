import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/findings.ts';
import { endedWell, outcomeSentence } from '../../../src/engine/local/outcome.ts';
import { rollupTranscripts } from '../../../src/engine/local/transcript-rollup.ts';

function failure(session: string, signature: string, family: string, seq = 0): Finding {
  return {
    kind: 'failure',
    key: `tool:${signature}`,
    title: `fails: ${signature}`,
    body: `failed: ${signature}`,
    value: null,
    observed_at: null,
    sequence: seq,
    evidence: [{ session_id: session, event_id: `sevt_${session}`, lines: null, quote: signature, observed_at: null }],
    attributes: { signature, error: signature, family_key: `tool-family:${family}`, family, exception: family, command_shape: 'python <ARG>', failed_calls: 1 },
    confidence: 0.6,
  };
}

function fix(session: string, signature: string, value: string): Finding {
  return {
    ...failure(session, signature, 'X'),
    kind: 'workaround',
    key: `fix:${signature}`,
    value,
    attributes: { signature, error: signature, failed_command: 'python app.py', steps: 'pip install x' },
  };
}

const outcomes = new Map([
  ['sesn_a', { resolved: true, exit_status: null }],
  ['sesn_b', { resolved: false, exit_status: null }],
  ['sesn_c', { resolved: true, exit_status: null }],
  ['sesn_d', null],
]);

describe('rollupTranscripts', () => {
  it('keeps failures seen in two sessions, drops one-offs unless the store already has them', () => {
    const input = [failure('sesn_a', 'ValueError: x', 'ValueError'), failure('sesn_b', 'ValueError: x', 'ValueError'), failure('sesn_c', 'KeyError: k', 'KeyError')];
    const { findings, stats } = rollupTranscripts(input, { outcomes, existingKeys: new Set() });
    expect(findings.map((f) => f.key)).toEqual(['tool:ValueError: x', 'tool:ValueError: x']);
    expect(stats).toMatchObject({ failures_kept: 1, failures_dropped: 1 });
    expect(findings[0]!.body).toBe(findings[1]!.body);
    expect(findings[0]!.body).toContain('Outcome: 1 of the 2 sessions that hit it with a known outcome ended resolved (50%); across all 3 sessions of this dream with a known outcome: 2 (67%).');
    expect(findings[0]!.attributes.failed_calls).toBe(2);
    const kept = rollupTranscripts(input, { outcomes, existingKeys: new Set(['tool:KeyError: k']) });
    expect(kept.findings.map((f) => f.key)).toContain('tool:KeyError: k');
  });

  it('groups different messages of one exception into a family memory with per-message counts', () => {
    const input = [failure('sesn_a', 'ValueError: x', 'ValueError'), failure('sesn_b', 'ValueError: y', 'ValueError'), failure('sesn_c', 'ValueError: y', 'ValueError')];
    const { findings, stats } = rollupTranscripts(input, { outcomes, existingKeys: new Set() });
    const family = findings.filter((f) => f.key === 'tool-family:ValueError');
    expect(stats.families).toBe(1);
    expect(family.map((f) => f.evidence[0]!.session_id)).toEqual(['sesn_a', 'sesn_b', 'sesn_c']);
    expect(family[0]!.title).toBe('ValueError raised by tool calls, with different messages');
    expect(family[0]!.body).toContain('- `ValueError: y`: 2 sessions\n- `ValueError: x`: 1 session');
    expect(family[0]!.attributes).toMatchObject({ signature: 'ValueError', exception: 'ValueError', variants: 2 });
  });

  it('writes a playbook for a fix used in a session that ended well, naming where the failure stayed', () => {
    const input = [failure('sesn_a', 'E: 1', 'E'), failure('sesn_b', 'E: 1', 'E'), fix('sesn_a', 'E: 1', 'python app.py --fixed')];
    const { findings, stats } = rollupTranscripts(input, { outcomes, existingKeys: new Set() });
    const pb = findings.find((f) => f.kind === 'workaround')!;
    expect(stats.playbooks).toBe(1);
    expect(pb.body).toContain('Instead of `python app.py`, run `python app.py --fixed`.');
    expect(pb.body).toContain('- sesn_a: `python app.py --fixed` succeeded after `pip install x`');
    expect(pb.body).toContain('The same failure stayed without a working call in: sesn_b (event sevt_sesn_b).');
    const failureBody = findings.find((f) => f.kind === 'failure')!.body;
    expect(failureBody).toContain('A later call of the same intent worked in 1 of these 2 sessions');
  });

  it('drops a one-session fix from a session that did not end well', () => {
    const { findings, stats } = rollupTranscripts([fix('sesn_b', 'E: 1', 'x'), fix('sesn_d', 'E: 2', 'y')], { outcomes, existingKeys: new Set() });
    expect(findings).toEqual([]);
    expect(stats.workarounds_dropped).toBe(2);
  });
});

describe('outcomes', () => {
  it('counts resolved, else a normal exit status, as ending well', () => {
    expect(endedWell({ resolved: true, exit_status: 'Error' })).toBe(true);
    expect(endedWell({ resolved: false, exit_status: 'Submitted' })).toBe(false);
    expect(endedWell({ resolved: null, exit_status: 'Submitted' })).toBe(true);
    expect(endedWell({ resolved: null, exit_status: 'LimitsExceeded' })).toBe(false);
    expect(endedWell(null)).toBe(false);
  });

  it('reports exit statuses when nothing says whether the task was solved', () => {
    const m = new Map([
      ['s1', { resolved: null, exit_status: 'Submitted' }],
      ['s2', null],
    ]);
    expect(outcomeSentence('sessions', ['s1', 's2'], m)).toBe('Outcome: exit status of the 2 sessions: Submitted in 1, none recorded in 1 (whether the task was solved is not recorded).');
    expect(outcomeSentence('sessions', ['s2'], m)).toBeNull();
  });
});
