/**
 * Cross-run analysis of build logs: what only shows when runs of the same job are compared.
 *
 *   runs (job, revision, status, failure keys) ─► per job, in time order
 *      ├─ flaky: a failure and a pass at the same revision (or fail → pass → fail when the
 *      │         logs name no revision): it comes and goes without a change
 *      ├─ fixed: a failure's last run, and the first passing run after it; the coordinator
 *      │         diffs the two logs' templates and the result becomes a candidate fix
 *      └─ incomplete: runs whose logs were truncated or cut off (never counted as passes)
 *
 * Pure functions over run summaries and failure findings; deterministic for the same inputs.
 */
import type { Evidence, Finding, RunSummary } from '../findings.ts';
import { shortHash, shorten } from './text.ts';

export interface FixCandidate {
  key: string;
  job: string;
  lastFail: RunSummary;
  firstPass: RunSummary;
  failedRuns: number;
}

export interface FlakyCandidate {
  key: string;
  job: string;
  fails: RunSummary[];
  passes: RunSummary[];
  /** True when fail and pass share a revision; false when inferred from alternation alone. */
  sameRevision: boolean;
}

export interface CrossRunPlan {
  flaky: FlakyCandidate[];
  fixes: FixCandidate[];
  incomplete: RunSummary[];
}

/** A line of one log that the other lacks, as a masked template and a citable line. */
export interface DiffLine {
  template: string;
  evidence: Evidence;
}

export interface TemplateDiff {
  onlyInFail: DiffLine[];
  onlyInPass: DiffLine[];
}

function byTime(a: RunSummary, b: RunSummary): number {
  if (a.observed_at !== null && b.observed_at !== null && a.observed_at !== b.observed_at) return a.observed_at < b.observed_at ? -1 : 1;
  return a.sequence - b.sequence || (a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0);
}

function groupByJob(runs: readonly RunSummary[]): Map<string, RunSummary[]> {
  const jobs = new Map<string, RunSummary[]>();
  for (const r of runs) jobs.set(r.job, [...(jobs.get(r.job) ?? []), r]);
  for (const list of jobs.values()) list.sort(byTime);
  return new Map([...jobs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function planCrossRun(runs: readonly RunSummary[]): CrossRunPlan {
  const plan: CrossRunPlan = { flaky: [], fixes: [], incomplete: runs.filter((r) => r.incomplete !== null).sort(byTime) };
  for (const [job, list] of groupByJob(runs)) {
    const keys = [...new Set(list.flatMap((r) => r.failure_keys))].sort();
    for (const key of keys) {
      const fails = list.filter((r) => r.failure_keys.includes(key));
      const passes = list.filter((r) => r.status === 'passed');
      const passRevisions = new Set(passes.map((p) => p.revision).filter((x): x is string => x !== null));
      const sameRevFails = fails.filter((f) => f.revision !== null && passRevisions.has(f.revision));
      if (sameRevFails.length > 0) {
        const revs = new Set(sameRevFails.map((f) => f.revision));
        plan.flaky.push({ key, job, fails: sameRevFails, passes: passes.filter((p) => revs.has(p.revision)), sameRevision: true });
      } else if (list.every((r) => r.revision === null)) {
        // fail → pass → fail with no revision to tell a change: it comes and goes.
        const idx = (r: RunSummary) => list.indexOf(r);
        const between = passes.filter((p) => fails.some((f) => idx(f) < idx(p)) && fails.some((f) => idx(f) > idx(p)));
        if (between.length > 0) plan.flaky.push({ key, job, fails, passes: between, sameRevision: false });
      }
      const lastFail = fails[fails.length - 1]!;
      const firstPass = list.slice(list.indexOf(lastFail) + 1).find((r) => r.status === 'passed');
      // The same revision failing then passing is flakiness, not a fix: nothing changed.
      const sameRevision = firstPass && lastFail.revision !== null && lastFail.revision === firstPass.revision;
      if (firstPass && !sameRevision) plan.fixes.push({ key, job, lastFail, firstPass, failedRuns: fails.length });
    }
  }
  return plan;
}

/** The evidence and signature of a failure in one run, from that run's failure finding. */
export function failureIn(failures: readonly Finding[], key: string, sessionId: string): Finding | undefined {
  return failures.find((f) => f.key === key && f.evidence.some((e) => e.session_id === sessionId));
}

function runEvidence(r: RunSummary): Evidence[] {
  return [r.status_evidence, r.revision_evidence].filter((e): e is Evidence => e !== null).slice(0, 1);
}

export function failureSignature(failures: readonly Finding[], key: string): string {
  const f = failures.find((x) => x.key === key);
  return String(f?.attributes.signature ?? f?.title ?? key);
}

function runName(r: RunSummary): string {
  return `${r.session_id}${r.revision ? ` (revision ${r.revision})` : ''}`;
}

export function crossRunFindings(plan: CrossRunPlan, failures: readonly Finding[], diffs: ReadonlyMap<string, TemplateDiff>): Finding[] {
  const out: Finding[] = [];
  for (const f of plan.flaky) {
    const failEvidence = f.fails.flatMap((r) => failureIn(failures, f.key, r.session_id)?.evidence.filter((e) => e.session_id === r.session_id).slice(0, 1) ?? []);
    const passEvidence = f.passes.flatMap(runEvidence);
    if (failEvidence.length === 0 || passEvidence.length === 0) continue;
    const signature = failureSignature(failures, f.key);
    const last = [...f.fails, ...f.passes].sort(byTime).at(-1)!;
    out.push({
      kind: 'insight',
      key: `flaky:${f.key}`,
      title: shorten(`Flaky in ${f.job}: ${signature}`, 300),
      body:
        `This failure comes and goes ${f.sameRevision ? 'at the same revision' : 'between runs (the logs name no revision)'}: ` +
        `it failed in ${f.fails.map(runName).join(', ')} and passed in ${f.passes.map(runName).join(', ')}. ` +
        'Retrying may pass; treat it as flaky rather than as a regression, and fix the test or its timing.',
      value: null,
      observed_at: last.observed_at,
      sequence: last.sequence,
      evidence: [...failEvidence, ...passEvidence],
      attributes: { signature, job: f.job, failed_runs: f.fails.length, passed_runs: f.passes.length, same_revision: f.sameRevision },
      confidence: f.sameRevision ? 0.8 : 0.5,
    });
  }
  for (const fix of plan.fixes) {
    const failEvidence = failureIn(failures, fix.key, fix.lastFail.session_id)?.evidence.filter((e) => e.session_id === fix.lastFail.session_id).slice(0, 1) ?? [];
    const passEvidence = runEvidence(fix.firstPass);
    if (failEvidence.length === 0) continue;
    const diff = diffs.get(`${fix.lastFail.session_id}\0${fix.firstPass.session_id}`) ?? { onlyInFail: [], onlyInPass: [] };
    const signature = failureSignature(failures, fix.key);
    const revisionChange =
      fix.lastFail.revision && fix.firstPass.revision && fix.lastFail.revision !== fix.firstPass.revision
        ? ` The revision changed from ${fix.lastFail.revision} to ${fix.firstPass.revision}.`
        : '';
    const gained = diff.onlyInPass.slice(0, 3).map((d) => `\`${shorten(d.template, 120)}\``);
    const lost = diff.onlyInFail.slice(0, 3).map((d) => `\`${shorten(d.template, 120)}\``);
    out.push({
      kind: 'workaround',
      key: `runfix:${shortHash(fix.key)}`,
      title: shorten(`Went away in ${fix.job}: ${signature}`, 300),
      body:
        `Failed in ${fix.failedRuns} run(s), last in ${runName(fix.lastFail)}; the next passing run was ${runName(fix.firstPass)}.` +
        revisionChange +
        (gained.length ? ` Only the passing run shows: ${gained.join('; ')}.` : '') +
        (lost.length ? ` Only the failing run shows: ${lost.join('; ')}.` : '') +
        ' Candidate fix: what changed between these runs.',
      value: null,
      observed_at: fix.firstPass.observed_at,
      sequence: fix.firstPass.sequence,
      evidence: [...failEvidence, ...passEvidence, ...diff.onlyInPass.slice(0, 3).map((d) => d.evidence), ...diff.onlyInFail.slice(0, 3).map((d) => d.evidence)],
      attributes: {
        signature,
        job: fix.job,
        failed_runs: fix.failedRuns,
        last_failing_run: fix.lastFail.session_id,
        first_passing_run: fix.firstPass.session_id,
        ...(fix.lastFail.revision ? { revision_before: fix.lastFail.revision } : {}),
        ...(fix.firstPass.revision ? { revision_after: fix.firstPass.revision } : {}),
      },
      confidence: 0.5,
    });
  }
  const incompleteByJob = new Map<string, RunSummary[]>();
  for (const r of plan.incomplete) if (r.end_evidence) incompleteByJob.set(r.job, [...(incompleteByJob.get(r.job) ?? []), r]);
  for (const [job, list] of [...incompleteByJob].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const last = list.at(-1)!;
    out.push({
      kind: 'insight',
      key: `incomplete:${job}`,
      title: shorten(`Incomplete logs in ${job}: failures may be under-counted`, 300),
      body:
        `${list.length} run log(s) of ${job} are incomplete, so a failure in them may be missing from the counts: ` +
        list.map((r) => `${r.session_id} (${r.incomplete})`).join(', ') + '. Each is cited at the line where it stops.',
      value: null,
      observed_at: last.observed_at,
      sequence: last.sequence,
      evidence: list.map((r) => r.end_evidence!),
      attributes: { job, incomplete_runs: list.length },
      confidence: 0.9,
    });
  }
  return out;
}

/** Failure findings from incomplete runs carry the flag, so their memories say so. */
export function flagIncomplete(failures: readonly Finding[], runs: readonly RunSummary[]): Finding[] {
  const incomplete = new Set(runs.filter((r) => r.incomplete !== null).map((r) => r.session_id));
  return failures.map((f) =>
    f.kind === 'failure' && f.evidence.some((e) => incomplete.has(e.session_id))
      ? { ...f, attributes: { ...f.attributes, seen_in_incomplete_log: true } }
      : f,
  );
}
