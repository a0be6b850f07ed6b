import type { Evidence, Finding } from '../../src/engine/findings.ts';
import { evidenceKey } from '../../src/outcomes/evidence-key.ts';

/** Small builders so each test states only what matters to it. */
export function sid(n: number): string {
  return `sesn_${String(n).padStart(8, '0')}`;
}

export function ev(session: number, line: number, quote: string, at: string | null = null): Evidence {
  return { session_id: sid(session), event_id: `sevt_${String(session).padStart(4, '0')}${String(line).padStart(4, '0')}`, lines: [line, line], quote, observed_at: at };
}

export function finding(over: Partial<Finding> & Pick<Finding, 'kind' | 'key' | 'title' | 'evidence'>): Finding {
  return { body: 'What happens, and what to do.', value: null, observed_at: null, sequence: 0, attributes: {}, confidence: 0.8, ...over };
}

/** The cited text each evidence points at: the quote inside a longer log line, as a session holds it. */
export function evidenceTexts(findings: readonly Finding[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) for (const e of f.evidence) out[evidenceKey(e)] = `12:00:01 ${e.quote} (exit 1)`;
  return out;
}

/** Seeded shuffles: the same generator the strategy comparison uses. */
export { prng, shuffle } from '../../src/compare/seeded.ts';

/** A realistic mix: a failure seen in three sessions, its workaround, a fact that changed, a preference. */
export function sampleFindings(): Finding[] {
  return [
    finding({ kind: 'failure', key: 'npm:ERESOLVE', title: 'npm ci fails with ERESOLVE peer dependency conflict', evidence: [ev(1, 12, 'npm ERR! code ERESOLVE', '2024-05-01T10:00:00Z')], observed_at: '2024-05-01T10:00:00Z', sequence: 0, attributes: { exit_code: 1 } }),
    finding({ kind: 'failure', key: 'npm:ERESOLVE', title: 'npm ci fails with ERESOLVE peer dependency conflict', evidence: [ev(2, 40, 'npm ERR! code ERESOLVE', '2024-05-02T10:00:00Z')], observed_at: '2024-05-02T10:00:00Z', sequence: 1 }),
    finding({ kind: 'failure', key: 'npm:ERESOLVE', title: 'npm ci fails with ERESOLVE peer dependency conflict', evidence: [ev(3, 7, 'npm ERR! code ERESOLVE', '2024-05-03T10:00:00Z')], observed_at: '2024-05-03T10:00:00Z', sequence: 2 }),
    finding({ kind: 'workaround', key: 'npm:ERESOLVE:legacy-peer-deps', title: 'Run npm ci with --legacy-peer-deps to get past ERESOLVE', body: 'Add `--legacy-peer-deps` to `npm ci`.', evidence: [ev(3, 9, 'npm ci --legacy-peer-deps')], sequence: 2 }),
    finding({ kind: 'fact', key: 'dev server port', title: 'The dev server listens on port 3000', value: '3000', evidence: [ev(1, 3, 'listening on :3000', '2024-04-01T00:00:00Z')], observed_at: '2024-04-01T00:00:00Z', sequence: 0 }),
    finding({ kind: 'fact', key: 'dev server port', title: 'The dev server listens on port 8080', value: '8080', evidence: [ev(4, 5, 'listening on :8080', '2024-06-01T00:00:00Z')], observed_at: '2024-06-01T00:00:00Z', sequence: 3 }),
    finding({ kind: 'preference', key: 'commit style', title: 'Commit messages use the imperative mood', value: 'imperative', evidence: [ev(2, 1, 'please write commits in the imperative')], sequence: 1 }),
  ];
}
