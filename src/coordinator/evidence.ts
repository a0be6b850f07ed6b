import type { RootPaths } from '../core/root.ts';
import type { Evidence } from '../engine/findings.ts';
import type { EvidenceResult, EvidenceTask } from '../worker/protocol.ts';
import type { TaskPool } from './pool.ts';

/**
 * Resolve every cited piece of evidence to the exact text it points at, so the grader can check
 * quotes without ever reading a session itself. Sessions are read in the task pool, one task per
 * session (reading a whole log is the expensive part and sessions are independent); the answer
 * is assembled in session-id order, so it does not depend on which thread finished first.
 */
export async function resolveEvidence(paths: RootPaths, evidence: readonly Evidence[], pool: TaskPool): Promise<Record<string, string>> {
  const bySession = new Map<string, Evidence[]>();
  for (const e of evidence) {
    const list = bySession.get(e.session_id) ?? [];
    list.push(e);
    bySession.set(e.session_id, list);
  }
  const sessions = [...bySession].sort(([a], [b]) => a.localeCompare(b));
  const results = await Promise.all(
    sessions.map(([sessionId, cited]) => {
      const task: EvidenceTask = { kind: 'evidence', root: paths.root, session_id: sessionId, cited };
      return pool.run(task) as Promise<EvidenceResult>;
    }),
  );
  const out: Record<string, string> = {};
  for (const r of results) Object.assign(out, r.texts);
  return out;
}
