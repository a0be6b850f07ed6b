/**
 * Runs inside a piscina worker thread. Sees only its batch: reads those sessions read-only,
 * calls the engine (a pure function of the events), writes findings/<batch>.json atomically.
 */
import { join } from 'node:path';
import { writeJsonAtomic } from '../core/atomic.ts';
import { RootPaths } from '../core/root.ts';
import { createEngine } from '../engine/registry.ts';
import type { BatchFindings, Finding, RunSummary } from '../engine/findings.ts';
import { getSession, readEvents } from '../sessions/store.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import { ExtractTask, type ExtractResult } from './protocol.ts';
import { addUsage, ZERO_USAGE, type Usage } from '../llm/usage.ts';

export default async function extract(message: unknown): Promise<ExtractResult> {
  const task = ExtractTask.parse(message);
  const paths = new RootPaths(task.root);
  const engine = createEngine(task.engine, task.engine_options);
  let usage: Usage = ZERO_USAGE;
  let inputStore: Promise<StoreSnapshot> | undefined;
  const ctx = {
    instructions: task.instructions,
    inputStore: () => (inputStore ??= new MemoryStoreRepo(paths).snapshot(task.input_store_id)),
  };
  const findings: Finding[] = [];
  const warnings: BatchFindings['warnings'] = [];
  const runs: RunSummary[] = [];
  let events = 0;
  let lines = 0;
  for (const { id, sequence } of task.sessions) {
    let session;
    try {
      session = await getSession(paths, id);
    } catch (e) {
      warnings.push({ session_id: id, message: `could not read session: ${(e as Error).message}` });
      continue;
    }
    events += session.event_count;
    lines += session.line_count;
    const result = await engine.extract(
      { session, sequence, events: () => readEvents(paths, id) },
      ctx,
    );
    findings.push(...result.findings);
    if (result.run) runs.push(result.run);
    usage = addUsage(usage, result.usage);
    for (const w of result.warnings) warnings.push({ session_id: id, message: w });
  }
  const out: BatchFindings = {
    dream_id: task.dream_id,
    batch_id: task.batch_id,
    engine: engine.name,
    session_ids: task.sessions.map((s) => s.id),
    findings,
    warnings,
    stats: { sessions: task.sessions.length, events, lines },
    runs,
    usage,
  };
  const file = join(paths.dream(task.dream_id), 'findings', `${task.batch_id}.json`);
  await writeJsonAtomic(file, out);
  return { batch_id: task.batch_id, findings: findings.length, warnings: warnings.length, file, usage };
}
