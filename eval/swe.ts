/**
 * SWE-agent trajectories (../shared/data/swe_trajectories, README section 5): dream over all 52
 * sessions with the local engine, then score the store against the raw transcripts.
 *
 *   claim verifiability  every "seen in N sessions" (and every "in sessions X, Y" / "N sessions"
 *                        in a body) is checked by finding the signature in each cited transcript
 *   recall               exception names and command failures in ≥ 3 sessions, found by simple
 *                        rules over the raw files here (independent of the engine)
 *   outcome association  resolved rate of the sessions of each reported failure vs the base rate;
 *                        share of playbooks citing a resolved session
 *
 * The dream reads only the `.json` trajectories; labels.csv is read here, for scoring only.
 */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runDreams } from '../src/app/run.ts';
import { RootPaths } from '../src/core/root.ts';
import { MemoryStoreRepo } from '../src/memory/repo.ts';
import { parseMemory } from '../src/merger/parse.ts';
import type { MemoryEntry, StoreSnapshot } from '../src/merger/types.ts';
import { DATA, fmt, mean, type EvalResult, type EvalTable } from './report.ts';

const DIR = join(DATA, 'swe_trajectories');
const MIN_SESSIONS = 3;
const SILVER_MIN = 5;
const BASH = /```(?:bash|sh)[ \t]*\r?\n([\s\S]*?)```/g;
// The data README's rule, verbatim.
const EXCEPTION = /^(?:E[ \t]+)?[ \t]*((?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Z][A-Za-z0-9_]*(?:Error|Exception)):/gm;
const ERROR_LINE = /error|failed|not found|no such file|cannot/i;

export interface Transcript {
  instance: string;
  /** Tool results (user messages that start with `<returncode>`), joined. */
  results: string;
  /** The whole conversation text, for commands the memory says were run. */
  all: string;
  exceptions: Set<string>;
  commandFailures: Set<string>;
}

/** `<program>: <two leading words of the first error line>` for every call with a non-zero status. */
function commandFailure(command: string, result: string): string | null {
  const rc = /^\s*<returncode>(-?\d+)<\/returncode>/.exec(result);
  if (!rc || rc[1] === '0') return null;
  const segments = (command.split('\n')[0] ?? '').split(/&&|;|\|\|/).map((s) => s.trim());
  const seg = segments.find((s) => s !== '' && !/^(?:cd|export|source)\b/.test(s)) ?? '';
  const program = seg.split(/\s+/)[0] ?? '';
  const output = result.replace(/^[\s\S]*?<output[^>]*>/, '');
  // Exception lines are counted as exceptions; the rule looks at the other error lines.
  const line = output.split('\n').find((l) => ERROR_LINE.test(l) && !new RegExp(EXCEPTION.source).test(l));
  if (!program || !line) return null;
  const lead = (line.match(/[A-Za-z]+/g) ?? []).slice(0, 2).join(' ').toLowerCase();
  return lead === '' ? null : `${program}: ${lead}`;
}

export async function readTranscript(file: string): Promise<Transcript> {
  const data = JSON.parse(await readFile(file, 'utf8')) as { instance_id: string; messages: { role: string; content: unknown }[] };
  const t: Transcript = { instance: data.instance_id, results: '', all: '', exceptions: new Set(), commandFailures: new Set() };
  let command: string | null = null;
  for (const m of data.messages) {
    const text = typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
    t.all += `${text}\n`;
    if (m.role === 'assistant') command = [...text.matchAll(BASH)].pop()?.[1]?.trim() ?? null;
    if (m.role !== 'user' || !text.trimStart().startsWith('<returncode>')) continue;
    t.results += `${text}\n`;
    for (const x of text.matchAll(EXCEPTION)) t.exceptions.add(x[1]!);
    const cf = command ? commandFailure(command, text) : null;
    if (cf) t.commandFailures.add(cf);
  }
  return t;
}

/** A masked signature as a pattern: placeholders match any text on one line, blanks any blanks. */
export function signaturePattern(sig: string): RegExp {
  const parts = sig
    .replace(/…$/, '')
    .split(/<(?:URL|TS|UUID|IP|PATH|HEX|DUR|SIZE|STR|ID|NUM|ARG)>/)
    .map((p) => p.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(parts.join('[^\\n]*?'));
}

interface Claim {
  memory: string;
  claim: string;
  ok: boolean;
}

function checkClaims(entry: MemoryEntry, bySession: Map<string, Transcript>): Claim[] {
  const claims: Claim[] = [];
  // What the transcripts show: the masked error (a signature also names the command it came from).
  const shown = entry.attributes.error ?? entry.attributes.signature;
  const sig = typeof shown === 'string' ? shown : null;
  if (!sig) return claims;
  const pattern = signaturePattern(sig);
  const has = (s: string, p: RegExp = pattern) => p.test(bySession.get(s)?.results ?? '');
  const name = entry.path;
  claims.push({
    memory: name,
    claim: `"${sig}" seen in ${entry.occurrences} sessions`,
    ok: entry.occurrences === entry.sessions.length && entry.sessions.every((s) => has(s)),
  });
  // "- sesn_x: `cmd` succeeded": the command was run in that session.
  for (const m of entry.body.matchAll(/^- (sesn_\w+): `([^`]+)` succeeded/gm)) {
    claims.push({ memory: name, claim: `\`${m[2]}\` ran in ${m[1]}`, ok: signaturePattern(m[2]!).test(bySession.get(m[1]!)?.all ?? '') });
  }
  // "- `SIG`: N sessions" lines of a family: SIG in at least N of the memory's sessions.
  for (const m of entry.body.matchAll(/^- `([^`]+)`: (\d+) sessions?$/gm)) {
    const p = signaturePattern(m[1]!);
    const n = entry.sessions.filter((s) => has(s, p)).length;
    claims.push({ memory: name, claim: `"${m[1]}" in ${m[2]} sessions`, ok: n >= Number(m[2]) });
  }
  // "stayed without a working call in: sesn_a (event …), sesn_b (…)": the failure is in each.
  const stayed = /without a working call in: (.*)\.$/m.exec(entry.body);
  if (stayed) {
    const ids = [...stayed[1]!.matchAll(/sesn_\w+/g)].map((x) => x[0]);
    claims.push({ memory: name, claim: `"${sig}" in sessions ${ids.join(', ')}`, ok: ids.every((s) => has(s)) });
  }
  return claims;
}

/** Whether a failure memory names a command-failure signature: the program and the two words. */
function mentionsCommandFailure(text: string, sig: string): boolean {
  const [program, lead] = sig.split(': ') as [string, string];
  const words = (text.match(/[A-Za-z]+/g) ?? []).join(' ').toLowerCase();
  return new RegExp(`(?:^|\\W)${program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\W|$)`).test(text) && words.includes(lead);
}


/** labels.csv of the trajectories: instance id → resolved. */
export async function readSweLabels(dir: string): Promise<Map<string, boolean>> {
  return new Map(
    (await readFile(join(dir, 'labels.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',') as [string, string])
      .map(([id, r]) => [id, r.trim() === 'true'] as const),
  );
}

/**
 * Score a store against the raw transcripts (claims, recall) and the labels (outcome
 * association). `bySession` maps the store's session ids to their transcripts; the reference
 * signatures are counted over `transcripts`. Shared with `dream compare`.
 */
export function scoreSweStore(snapshot: StoreSnapshot, bySession: Map<string, Transcript>, transcripts: readonly Transcript[], labels: Map<string, boolean>) {
  const entries = snapshot.flatMap((m) => parseMemory(m.path, m.content) ?? []);
  const contentOf = new Map(snapshot.map((m) => [m.path, m.content]));
  const failures = entries.filter((e) => e.kind === 'failure');
  const playbooks = entries.filter((e) => e.kind === 'workaround');

  // 1. Claims.
  const claims = [...failures, ...playbooks].flatMap((e) => checkClaims(e, bySession));
  const verified = claims.filter((c) => c.ok).length;

  // 2. Recall against the independent reference.
  const count = (get: (t: Transcript) => Set<string>) => {
    const m = new Map<string, number>();
    for (const t of transcripts) for (const x of get(t)) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };
  const failureText = failures.map((e) => contentOf.get(e.path) ?? '').join('\n');
  const refExceptions = count((t) => t.exceptions).filter(([, n]) => n >= MIN_SESSIONS);
  const refCommands = count((t) => t.commandFailures).filter(([, n]) => n >= MIN_SESSIONS);
  const excFound = refExceptions.map(([name, n]) => ({ name, n, found: new RegExp(`\\b${name.replace(/\./g, '\\.')}\\b`).test(failureText) }));
  const cmdFound = refCommands.map(([name, n]) => ({ name, n, found: failures.some((e) => mentionsCommandFailure(contentOf.get(e.path) ?? '', name)) }));
  const recallRows = [...excFound.map((r) => ({ ...r, type: 'exception' })), ...cmdFound.map((r) => ({ ...r, type: 'command' }))];
  const recall = recallRows.filter((r) => r.found).length / Math.max(1, recallRows.length);
  const silver = excFound.filter((r) => r.n >= SILVER_MIN);
  const silverRecall = silver.filter((r) => r.found).length / Math.max(1, silver.length);

  // 3. Outcome association (labels used here only).
  const resolvedOf = (sessions: string[]) => sessions.map((s) => labels.get(bySession.get(s)?.instance ?? '')).filter((x): x is boolean => x !== undefined);
  const base = [...labels.values()].filter(Boolean).length / labels.size;
  const assoc = failures.map((e) => {
    const r = resolvedOf(e.sessions);
    const rate = r.filter(Boolean).length / Math.max(1, r.length);
    return { path: e.path, sig: String(e.attributes.signature ?? e.title), n: e.sessions.length, rate, gap: base - rate };
  });
  const below = assoc.filter((a) => a.rate < base).length / Math.max(1, assoc.length);
  const pbRows = playbooks.map((e) => {
    const r = resolvedOf(e.sessions);
    return { path: e.path, value: e.value ?? '', n: e.sessions.length, resolved: r.filter(Boolean).length };
  });
  const pbResolved = pbRows.filter((p) => p.resolved > 0).length / Math.max(1, pbRows.length);
  return { failures, playbooks, claims, verified, recallRows, recall, silver, silverRecall, base, assoc, below, pbRows, pbResolved };
}

export async function run(): Promise<EvalResult> {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort().map((f) => join(DIR, f));
  const transcripts = await Promise.all(files.map(readTranscript));
  const labels = await readSweLabels(DIR);

  const root = await mkdtemp(join(tmpdir(), 'dreamwork-eval-swe-'));
  const paths = new RootPaths(root);
  const started = performance.now();
  const outcome = await runDreams(paths, { inputs: files, workers: 2 });
  const seconds = (performance.now() - started) / 1000;
  if (outcome.final.status !== 'completed') throw new Error(`dream ${outcome.final.id} ended ${outcome.final.status}: ${JSON.stringify(outcome.final.error)}`);
  const byFile = new Map(transcripts.map((t, i) => [files[i]!, t]));
  const bySession = new Map<string, Transcript>();
  for (const s of [...outcome.imported.imported, ...outcome.imported.existing]) {
    const t = byFile.get(s.source.path) ?? [...byFile.entries()].find(([f]) => basename(f) === basename(s.source.path))?.[1];
    if (t) bySession.set(s.id, t);
  }
  const snapshot = await new MemoryStoreRepo(paths).snapshot(outcome.final.outputs[0]!.memory_store_id);
  const { failures, playbooks, claims, verified, recallRows, recall, silver, silverRecall, base, assoc, below, pbRows, pbResolved } = scoreSweStore(snapshot, bySession, transcripts, labels);

  const tables: EvalTable[] = [
    {
      title: 'Headline',
      columns: ['metric', 'value', 'target'],
      rows: [
        ['claim verifiability', verified / Math.max(1, claims.length), '≥ 0.95'],
        [`recall, signatures in ≥ ${MIN_SESSIONS} sessions (${recallRows.length})`, recall, '≥ 0.8'],
        [`recall, README silver set (exceptions in ≥ ${SILVER_MIN} sessions, ${silver.length})`, silverRecall, '—'],
        ['failure memories with resolved rate below base rate', below, '—'],
        ['mean gap (base − resolved rate) over failure memories', mean(assoc.map((a) => a.gap)), '> 0'],
        ['playbooks citing a resolved session', pbResolved, '—'],
        ['base rate (resolved sessions)', base, ''],
        ['failure / playbook memories', `${failures.length} / ${playbooks.length}`, ''],
        ['claims checked', String(claims.length), ''],
        ['dream seconds (import + dream)', seconds, ''],
      ],
    },
    {
      title: `Reference signatures (in ≥ ${MIN_SESSIONS} sessions, from the raw transcripts) and whether a failure memory names them`,
      columns: ['type', 'signature', 'sessions', 'in memory'],
      rows: recallRows.map((r) => [r.type, `\`${r.name}\``, String(r.n), r.found ? 'yes' : 'NO']),
    },
    {
      title: 'Failure memories: sessions and their resolved rate (base rate ' + fmt(base) + ')',
      columns: ['signature', 'sessions', 'resolved rate', 'gap'],
      rows: assoc.sort((a, b) => b.n - a.n || (a.sig < b.sig ? -1 : 1)).map((a) => [`\`${a.sig.replace(/\|/g, '\\|')}\``, String(a.n), a.rate, a.gap]),
    },
    {
      title: 'Playbooks: sessions where the fix worked, and how many were resolved',
      columns: ['what worked', 'sessions', 'resolved'],
      rows: pbRows.sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1)).map((p) => [`\`${p.value.replace(/\|/g, '\\|').slice(0, 80)}\``, String(p.n), String(p.resolved)]),
    },
    {
      title: 'Claims that did not verify',
      columns: ['memory', 'claim'],
      rows: claims.filter((c) => !c.ok).map((c) => [c.memory, c.claim.replace(/\|/g, '\\|')]),
    },
  ];
  return {
    name: 'swe',
    summary:
      `52 mini-SWE-agent sessions, one local dream; claim verifiability ${fmt(verified / Math.max(1, claims.length))} ` +
      `(${verified}/${claims.length}), recall ${fmt(recall)} of ${recallRows.length} signatures in ≥ ${MIN_SESSIONS} sessions.`,
    tables,
    json: { claims: { verified, total: claims.length }, recall, silverRecall, base, below, playbooksResolved: pbResolved, recallRows, assoc, playbooks: pbRows, seconds },
    notes: [
      'Reference exceptions use the data README rule on tool-result messages; reference command failures are `<first program of the command>: <two leading words of the first error line>` for calls with a non-zero <returncode>, exception lines excluded. Neither uses engine code.',
      'A signature is checked in a transcript as a pattern: mask placeholders (<NUM>, <STR>, …) match any text on a line.',
      'Every session ends with exit status `Submitted`, so the engine cannot tell resolved from unresolved sessions: the outcome association is measured here with labels.csv, which the dream never reads.',
    ],
  };
}
