import type { RootPaths } from '../core/root.ts';
import type { BatchFindings, Finding } from '../engine/findings.ts';
import { crossRunFindings, flagIncomplete, planCrossRun, type TemplateDiff } from '../engine/local/cross-run.ts';
import type { DiffResult, DiffTask } from '../worker/protocol.ts';
import { usePool, type TaskPool } from './pool.ts';

/**
 * Diff each (last failing, first passing) pair in the task pool: reading and masking two logs
 * is the expensive part, and pairs are independent. Pairs sharing their passing run go to the
 * same task so its templates are read once; the biggest tasks go first, so the threads finish
 * together instead of one reading a long group alone at the end.
 */
async function diffPairs(
  paths: RootPaths,
  pairs: { fail: string; pass: string }[],
  workers: number,
  shared: TaskPool | undefined,
): Promise<Map<string, TemplateDiff>> {
  const byPass = new Map<string, Set<string>>();
  for (const p of pairs) byPass.set(p.pass, (byPass.get(p.pass) ?? new Set()).add(p.fail));
  const diffs = new Map<string, TemplateDiff>();
  if (byPass.size === 0) return diffs;
  const groups = [...byPass].sort(([a, x], [b, y]) => y.size - x.size || (a < b ? -1 : 1));
  const results = await usePool(shared, Math.min(workers, byPass.size), (pool) =>
    Promise.all(
      groups.map(([pass, fails]) => {
        const task: DiffTask = { kind: 'diff', root: paths.root, pass, fails: [...fails].sort() };
        return pool.run(task) as Promise<DiffResult>;
      }),
    ),
  );
  for (const r of results) for (const d of r.diffs) diffs.set(`${d.fail}\0${r.pass}`, d.diff);
  return diffs;
}

/**
 * Compare runs of the same job across all batches: flaky failures, failures that went away (with
 * what differed in the first passing run) and incomplete logs. Workers cannot do this: each sees
 * only its batch. Returns all findings to merge, the cross-run ones included.
 */
export async function crossRun(
  paths: RootPaths,
  batches: readonly BatchFindings[],
  workers: number,
  pool?: TaskPool,
): Promise<{ findings: Finding[]; added: Finding[] }> {
  const runs = batches.flatMap((b) => b.runs);
  const findings = flagIncomplete(batches.flatMap((b) => b.findings), runs);
  if (runs.length < 2 && runs.every((r) => r.incomplete === null)) return { findings, added: [] };
  const plan = planCrossRun(runs);
  const diffs = await diffPairs(paths, plan.fixes.map((f) => ({ fail: f.lastFail.session_id, pass: f.firstPass.session_id })), workers, pool);
  const added = crossRunFindings(plan, findings.filter((f) => f.kind === 'failure'), diffs);
  return { findings: [...findings, ...added], added };
}
