/**
 * What one finished run produced, read back from the shared filesystem: the grader's last
 * evaluation (per criterion), the output store, an independent evidence check of every memory,
 * the model usage and the merge tree. No timing here: that is the child run's (child-run.ts).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRepo } from '../dreams/repo.ts';
import { Plan, type DreamRecord } from '../dreams/schema.ts';
import type { Evidence } from '../engine/findings.ts';
import { addUsage, ZERO_USAGE, type Usage } from '../llm/usage.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import { citedEvidence } from '../merger/merge.ts';
import { parseMemory } from '../merger/parse.ts';
import type { MemoryEntry } from '../merger/types.ts';
import { checkEvidence } from '../outcomes/checks/evidence.ts';
import { Evaluation } from '../outcomes/schema.ts';
import { resolveSessionEvidence } from '../worker/session-evidence.ts';
import { readFile } from 'node:fs/promises';

export interface RunMeasure {
  status: string;
  store: StoreSnapshot;
  entries: MemoryEntry[];
  /** Memories of the output store (parsed entries; the index and hand-written files excluded). */
  memories: number;
  evidence_precision: number | null;
  grader: { result: string; iterations: number; criteria: { id: string; title: string; status: string }[] };
  usage: Usage;
  batches: number;
  merge_calls: number;
}

/**
 * Share of memories whose every cited quote occurs in the text it cites (the grader's own
 * evidence check, src/outcomes/checks/evidence.ts, run again here on the written store).
 */
export async function evidencePrecision(paths: RootPaths, entries: readonly MemoryEntry[]): Promise<number | null> {
  if (entries.length === 0) return null;
  const bySession = new Map<string, Evidence[]>();
  for (const e of entries.flatMap(citedEvidence)) bySession.set(e.session_id, [...(bySession.get(e.session_id) ?? []), e]);
  const evidence: Record<string, string> = {};
  for (const [id, cited] of [...bySession].sort(([a], [b]) => (a < b ? -1 : 1))) Object.assign(evidence, await resolveSessionEvidence(paths, id, cited));
  const outcome = checkEvidence({ candidate: [], entries: [...entries], evidence });
  const bad = new Set(outcome.gaps.filter((g) => g.action === 'drop_evidence' || g.action === 'drop_entry').map((g) => g.memory_path));
  return (entries.length - entries.filter((e) => bad.has(e.path)).length) / entries.length;
}

async function lastEvaluation(dir: string): Promise<Evaluation | null> {
  const names = (await readdir(join(dir, 'evaluations')).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const last = names.at(-1);
  return last ? readJson(join(dir, 'evaluations', last), Evaluation) : null;
}

async function mergeCalls(dir: string): Promise<number> {
  const text = await readFile(join(dir, 'events.jsonl'), 'utf8').catch(() => '');
  let calls = 0;
  for (const line of text.split('\n')) if (line.includes('"dream.merge_tree"')) calls += (JSON.parse(line) as { merge_calls: number }).merge_calls;
  return calls;
}

/** `chain`: every dream the run made (a chain past 100 sessions), oldest first; the last is graded. */
export async function measureRun(paths: RootPaths, chain: readonly DreamRecord[]): Promise<RunMeasure> {
  const repo = new DreamRepo(paths);
  const final = chain.at(-1)!;
  const dir = repo.dir(final.id);
  const evaluation = await lastEvaluation(dir);
  const outputId = final.outputs[0]?.memory_store_id;
  const store = final.status === 'completed' && outputId ? await new MemoryStoreRepo(paths).snapshot(outputId) : [];
  const entries = store.flatMap((m) => parseMemory(m.path, m.content) ?? []);
  let batches = 0;
  let calls = 0;
  for (const d of chain) {
    batches += (await readJson(join(repo.dir(d.id), 'plan.json'), Plan).catch(() => ({ batches: [] }))).batches.length;
    calls += await mergeCalls(repo.dir(d.id));
  }
  return {
    status: final.status,
    store,
    entries,
    memories: entries.length,
    evidence_precision: await evidencePrecision(paths, entries),
    grader: {
      result: evaluation?.result ?? 'none',
      iterations: evaluation?.iteration ?? 0,
      criteria: (evaluation?.criteria ?? []).map((c) => ({ id: c.id, title: c.title, status: c.status })),
    },
    usage: chain.reduce((u, d) => addUsage(u, d.usage), ZERO_USAGE),
    batches,
    merge_calls: calls,
  };
}
