import type { RootPaths } from '../core/root.ts';
import type { BatchFindings, Finding, RunSummary } from '../engine/findings.ts';
import { crossRunFindings, flagIncomplete, planCrossRun, type CrossRunPlan, type TemplateDiff } from '../engine/local/cross-run.ts';
import { getSession } from '../sessions/store.ts';
import { asCrossRunInput, type PriorRun } from './prior-runs.ts';
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
 * What the cross-run analysis reports: only what involves at least one run of this dream. Prior
 * runs (of the dreams before it in a chain) are there to be compared with; what they show among
 * themselves is already in the input store.
 */
function involvingCurrent(plan: CrossRunPlan, current: ReadonlySet<string>): CrossRunPlan {
  const mine = (r: RunSummary) => current.has(r.session_id);
  return {
    flaky: plan.flaky.filter((f) => f.fails.some(mine) || f.passes.some(mine)),
    fixes: plan.fixes.filter((f) => mine(f.lastFail) || mine(f.firstPass)),
    incomplete: plan.incomplete.filter(mine),
  };
}

/** A prior run's session may be gone (deleted since); its pair is reported without a diff. */
async function present(paths: RootPaths, ids: readonly string[]): Promise<Set<string>> {
  const found = await Promise.all(ids.map((id) => getSession(paths, id).then(() => id, () => null)));
  return new Set(found.filter((id): id is string => id !== null));
}

/**
 * Compare runs of the same job across all batches, and with the runs of the dreams before this
 * one in a chain (`prior`, prior-runs.ts): flaky failures, failures that went away (with what
 * differed in the first passing run) and incomplete logs. Workers cannot do this: each sees only
 * its batch. Returns all findings to merge, the cross-run ones included.
 */
export async function crossRun(
  paths: RootPaths,
  batches: readonly BatchFindings[],
  workers: number,
  pool?: TaskPool,
  prior: readonly PriorRun[] = [],
): Promise<{ findings: Finding[]; added: Finding[] }> {
  const runs = batches.flatMap((b) => b.runs);
  const findings = flagIncomplete(batches.flatMap((b) => b.findings), runs);
  if (runs.length === 0 || (runs.length + prior.length < 2 && runs.every((r) => r.incomplete === null))) return { findings, added: [] };
  const current = new Set(runs.map((r) => r.session_id));
  // A session dreamed again (its store fed back in) is this dream's run, not a second one.
  const before = asCrossRunInput(prior.filter((r) => !current.has(r.session_id)));
  const plan = involvingCurrent(planCrossRun([...before.runs, ...runs]), current);
  const pairs = plan.fixes.map((f) => ({ fail: f.lastFail.session_id, pass: f.firstPass.session_id }));
  const there = prior.length > 0 ? await present(paths, [...new Set(pairs.flatMap((p) => [p.fail, p.pass]))]) : null;
  const diffs = await diffPairs(paths, there ? pairs.filter((p) => there.has(p.fail) && there.has(p.pass)) : pairs, workers, pool);
  const failures = [...findings.filter((f) => f.kind === 'failure'), ...before.failures];
  // A finding dated by a prior run (timestamps out of input order) keeps a valid sequence.
  const added = crossRunFindings(plan, failures, diffs).map((f) => (f.sequence < 0 ? { ...f, sequence: 0 } : f));
  return { findings: [...findings, ...added], added };
}
