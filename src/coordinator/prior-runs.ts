import { join } from 'node:path';
import { z } from 'zod';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import { Evidence, RunSummary, type Finding } from '../engine/findings.ts';
import { failureIn, failureSignature } from '../engine/local/cross-run.ts';

/**
 * The build-log runs a dream compared, kept beside it (<dream>/runs.json) so the next dream of
 * a chain compares its runs with them too: a failure whose last run was in one dream and whose
 * first passing run is in the next still "went away", and one that fails in one dream and passes
 * at the same revision in the next is still flaky. Each run keeps the first line of each of its
 * failures (the evidence a cross-run memory cites) and their signatures. The chain is followed
 * through the input store: its runs are those of the last completed dream that wrote it, which
 * already carry the runs before that, up to MAX_RUNS.
 */
export const PriorRun = RunSummary.extend({
  sequence: z.number().int(),
  failure_evidence: z.record(z.string(), Evidence),
  signatures: z.record(z.string(), z.string()),
});
export type PriorRun = z.infer<typeof PriorRun>;

const RunsFile = z.object({ dream_id: z.string(), runs: z.array(PriorRun) });

/** Runs kept for the next dream: the most recent, so a long chain stays bounded. */
const MAX_RUNS = 5_000;

const runsFile = (paths: RootPaths, dreamId: string) => join(paths.dream(dreamId), 'runs.json');

/** The runs the input store's last writer compared, oldest first; none for a store no dream wrote. */
export async function loadPriorRuns(paths: RootPaths, dream: DreamRecord, inputStoreId: string): Promise<PriorRun[]> {
  const writers = (await new DreamRepo(paths).list({ include_archived: true, statuses: ['completed'] }))
    .filter((d) => d.id !== dream.id && d.outputs.some((o) => o.memory_store_id === inputStoreId))
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  const last = writers[0];
  if (!last) return [];
  return (await readJsonIfExists(runsFile(paths, last.id), RunsFile))?.runs ?? [];
}

/** Prior runs followed by this dream's, each with its failures' first evidence lines and signatures. */
export async function saveRuns(paths: RootPaths, dreamId: string, prior: readonly PriorRun[], current: readonly RunSummary[], findings: readonly Finding[]): Promise<void> {
  const failures = findings.filter((f) => f.kind === 'failure');
  const mine: PriorRun[] = current.map((r) => {
    const failure_evidence: Record<string, Evidence> = {};
    const signatures: Record<string, string> = {};
    for (const key of r.failure_keys) {
      const f = failureIn(failures, key, r.session_id);
      const ev = f?.evidence.find((e) => e.session_id === r.session_id);
      if (!f || !ev) continue;
      failure_evidence[key] = ev;
      signatures[key] = failureSignature([f], key);
    }
    return { ...r, failure_evidence, signatures };
  });
  const again = new Set(mine.map((r) => r.session_id));
  const runs = [...prior.filter((r) => !again.has(r.session_id)), ...mine].slice(-MAX_RUNS);
  await writeJsonAtomic(runsFile(paths, dreamId), { dream_id: dreamId, runs });
}

/**
 * Prior runs as the cross-run analysis takes them: ordered before this dream's runs (their
 * sequence counts up to -1), and their failures as findings it can cite.
 */
export function asCrossRunInput(prior: readonly PriorRun[]): { runs: RunSummary[]; failures: Finding[] } {
  const runs = prior.map(({ failure_evidence: _e, signatures: _s, ...r }, i) => ({ ...r, sequence: i - prior.length }));
  const failures: Finding[] = prior.flatMap((r) =>
    Object.entries(r.failure_evidence).map(([key, ev]) => ({
      kind: 'failure' as const,
      key,
      title: r.signatures[key] ?? key,
      body: '',
      value: null,
      observed_at: r.observed_at,
      sequence: 0,
      evidence: [ev],
      attributes: { signature: r.signatures[key] ?? key },
      confidence: 0.5,
    })),
  );
  return { runs, failures };
}
