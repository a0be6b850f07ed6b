/**
 * Evidence resolution in a worker thread: one session's cited lines and events, read-only.
 */
import { RootPaths } from '../core/root.ts';
import { EvidenceTask, type EvidenceResult } from './protocol.ts';
import { resolveSessionEvidence } from './session-evidence.ts';

export default async function evidence(message: unknown): Promise<EvidenceResult> {
  const task = EvidenceTask.parse(message);
  return { texts: await resolveSessionEvidence(new RootPaths(task.root), task.session_id, task.cited) };
}
