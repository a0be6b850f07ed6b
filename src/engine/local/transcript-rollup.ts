/**
 * Cross-session pass over the transcript findings of a whole dream. Workers see one batch, so
 * only here can we know whether a failure recurs, which variants share a family, whether a fix
 * worked elsewhere and how the sessions that hit it ended.
 *
 *   tool:<sig> failures ─┬─ seen in ≥ 2 sessions (or already in the store) ─► kept, body says
 *                        │                          how the sessions ended and how often it was fixed
 *                        └─ by family (exception name, program + error words) ─► tool-family:<id>
 *                               when the family spans ≥ 2 sessions and ≥ 2 signatures
 *   fix:<sig> workarounds ─► worked in ≥ 2 sessions, or in a session that ended well ─► playbook
 *                            naming each time it worked and the sessions where the failure stayed
 *
 * Findings are never merged here: each session keeps its own finding (so first/last seen and the
 * session count stay the merger's), and every finding of one key gets the same title and body.
 */
import type { Finding } from '../findings.ts';
import { endedWell, outcomeSentence, type OutcomeMap } from './outcome.ts';
import { shorten } from './text.ts';

export interface RollupOptions {
  /** How every session of the dream ended (null when the transcript does not say). */
  outcomes: OutcomeMap;
  /** Keys of memories already in the input store: they keep receiving evidence below the threshold. */
  existingKeys: ReadonlySet<string>;
  /** Sessions a failure must recur in to become a memory of its own. */
  minSessions?: number;
}

export interface RollupResult {
  findings: Finding[];
  /** What happened, for the dream's event log. */
  stats: { failures_kept: number; failures_dropped: number; families: number; playbooks: number; workarounds_dropped: number };
}

const MIN_SESSIONS = 2;
const MAX_LISTED = 6;

const isToolFailure = (f: Finding) => f.kind === 'failure' && f.key.startsWith('tool:');
const isToolFix = (f: Finding) => f.kind === 'workaround' && f.key.startsWith('fix:');
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const l = m.get(k);
    if (l) l.push(it);
    else m.set(k, [it]);
  }
  return new Map([...m.entries()].sort(([a], [b]) => cmp(a, b)));
}

function sessionsOf(list: readonly Finding[]): string[] {
  return [...new Set(list.flatMap((f) => f.evidence.map((e) => e.session_id)))].sort(cmp);
}

/** The finding observed last (the one whose wording the merger would keep anyway). */
function latest(list: readonly Finding[]): Finding {
  return [...list].sort((a, b) => cmp(a.observed_at ?? '', b.observed_at ?? '') || a.sequence - b.sequence || cmp(a.evidence[0]!.session_id, b.evidence[0]!.session_id)).at(-1)!;
}

const paragraphs = (...parts: (string | null)[]) => parts.filter((p): p is string => p !== null && p !== '').join('\n\n');

export function rollupTranscripts(findings: readonly Finding[], opts: RollupOptions): RollupResult {
  const min = opts.minSessions ?? MIN_SESSIONS;
  const failures = groupBy(findings.filter(isToolFailure), (f) => f.key);
  const fixes = groupBy(findings.filter(isToolFix), (f) => f.key);
  const fixedSessions = (failureKey: string) => sessionsOf(fixes.get(`fix:${failureKey.slice('tool:'.length)}`) ?? []);
  const stats = { failures_kept: 0, failures_dropped: 0, families: 0, playbooks: 0, workarounds_dropped: 0 };
  const out: Finding[] = findings.filter((f) => !isToolFailure(f) && !isToolFix(f));

  for (const [key, list] of failures) {
    const sessions = sessionsOf(list);
    if (sessions.length < min && !opts.existingKeys.has(key)) {
      stats.failures_dropped++;
      continue;
    }
    stats.failures_kept++;
    const fixed = fixedSessions(key).filter((s) => sessions.includes(s));
    const body = paragraphs(
      latest(list).body,
      fixed.length > 0
        ? `A later call of the same intent worked in ${fixed.length} of these ${sessions.length} sessions (see the playbook for this failure).`
        : `No later call of the same intent worked in any of these ${sessions.length} sessions.`,
      outcomeSentence('sessions that hit it', sessions, opts.outcomes),
    );
    const calls = list.reduce((n, f) => n + Number(f.attributes.failed_calls ?? 1), 0);
    const confidence = Math.min(0.95, 0.5 + 0.1 * sessions.length);
    for (const f of list) out.push({ ...f, body, confidence, attributes: { ...f.attributes, failed_calls: calls } });
  }

  const families = familyFindings([...failures.values()].flat(), opts, min);
  stats.families = new Set(families.map((f) => f.key)).size;
  out.push(...families);

  for (const [key, list] of fixes) {
    const worked = sessionsOf(list);
    const failedIn = sessionsOf(failures.get(`tool:${key.slice('fix:'.length)}`) ?? []);
    if (worked.length < min && !worked.some((s) => endedWell(opts.outcomes.get(s))) && !opts.existingKeys.has(key)) {
      stats.workarounds_dropped++;
      continue;
    }
    stats.playbooks++;
    const notFixed = failures.get(`tool:${key.slice('fix:'.length)}`)?.filter((f) => !worked.includes(f.evidence[0]!.session_id)) ?? [];
    const body = playbookBody(list, notFixed, failedIn.length, opts);
    for (const f of list) out.push({ ...f, body, confidence: Math.min(0.95, 0.5 + 0.1 * worked.length) });
  }
  return { findings: out, stats };
}

function playbookBody(worked: readonly Finding[], notFixed: readonly Finding[], failedSessions: number, opts: RollupOptions): string {
  const last = latest(worked);
  const failed = String(last.attributes.failed_command ?? last.attributes.failed_command_shape ?? '');
  const signature = String(last.attributes.error ?? last.attributes.signature ?? '');
  const instead =
    last.value !== null && last.value !== failed
      ? `Instead of \`${failed}\`, run \`${last.value}\`.`
      : `Fix what the error points at first (the steps below), then rerun \`${failed}\`.`;
  const each = [...worked]
    .sort((a, b) => cmp(a.evidence[0]!.session_id, b.evidence[0]!.session_id))
    .slice(0, MAX_LISTED)
    .map((f) => {
      const steps = typeof f.attributes.steps === 'string' ? ` after ${f.attributes.steps.split(' ; ').map((s) => `\`${s}\``).join(', ')}` : '';
      return `- ${f.evidence[0]!.session_id}: \`${f.value ?? ''}\` succeeded${steps}`;
    });
  const sessionsWorked = sessionsOf(worked);
  const more = sessionsWorked.length > MAX_LISTED ? [`- … and ${sessionsWorked.length - MAX_LISTED} more sessions`] : [];
  const didNot =
    notFixed.length === 0
      ? `Every session of this dream with this failure (${failedSessions}) found a working call.`
      : `The same failure stayed without a working call in: ${notFixed
          .map((f) => `${f.evidence[0]!.session_id} (event ${f.evidence[0]!.event_id ?? 'unknown'})`)
          .sort(cmp)
          .join(', ')}.`;
  return paragraphs(
    `${instead} This is what worked after \`${shorten(failed, 80)}\` failed with ${shorten(signature, 160)}.`,
    ['Each time it worked:', ...each, ...more].join('\n'),
    didNot,
    outcomeSentence('sessions that used it', sessionsWorked, opts.outcomes),
  );
}

/**
 * One memory per failure family spanning several sessions through different signatures: the
 * recurring thing is the exception (or the program's error words), not one exact message.
 */
function familyFindings(failures: readonly Finding[], opts: RollupOptions, min: number): Finding[] {
  const byFamily = groupBy(
    failures.filter((f) => typeof f.attributes.family_key === 'string'),
    (f) => String(f.attributes.family_key),
  );
  const out: Finding[] = [];
  for (const [key, list] of byFamily) {
    const sessions = sessionsOf(list);
    // Listed by what the transcripts show (the masked error), the way a reader would grep for it.
    const bySignature = groupBy(list, (f) => String(f.attributes.error ?? f.attributes.signature));
    if ((sessions.length < min || bySignature.size < 2) && !opts.existingKeys.has(key)) continue;
    const first = list[0]!;
    const label = String(first.attributes.family);
    const exception = typeof first.attributes.exception === 'string' ? first.attributes.exception : null;
    const program = typeof first.attributes.program === 'string' ? first.attributes.program : null;
    const title = exception
      ? `${exception} raised by tool calls, with different messages`
      : `\`${program ?? first.attributes.tool}\` fails with "${shorten(label, 80)}", with different messages`;
    const variants = [...bySignature.entries()]
      .map(([sig, fs]) => ({ sig, n: sessionsOf(fs).length }))
      .sort((a, b) => b.n - a.n || cmp(a.sig, b.sig));
    const shapes = [...groupBy(list, (f) => String(f.attributes.command_shape)).entries()]
      .map(([shape, fs]) => ({ shape, n: sessionsOf(fs).length }))
      .sort((a, b) => b.n - a.n || cmp(a.shape, b.shape))
      .slice(0, 4);
    const body = paragraphs(
      `Tool calls failed with \`${label}\` in several sessions, with ${variants.length} different messages. The most common:`,
      [
        ...variants.slice(0, MAX_LISTED).map((v) => `- \`${shorten(v.sig, 160)}\`: ${v.n} ${v.n === 1 ? 'session' : 'sessions'}`),
        ...(variants.length > MAX_LISTED ? [`- … and ${variants.length - MAX_LISTED} more messages`] : []),
      ].join('\n'),
      `Commands that hit it: ${shapes.map((s) => `\`${s.shape}\` (${s.n} ${s.n === 1 ? 'session' : 'sessions'})`).join(', ')}.`,
      outcomeSentence('sessions that hit it', sessions, opts.outcomes),
    );
    const attributes: Finding['attributes'] = { signature: label, family: label, variants: variants.length };
    if (exception) attributes.exception = exception;
    if (program) attributes.program = program;
    // One finding per session, like the engine's, so the merger dates and counts them.
    for (const [, fs] of groupBy(list, (f) => f.evidence[0]!.session_id)) {
      const f = latest(fs);
      out.push({
        kind: 'failure',
        key,
        title: shorten(title, 300),
        body,
        value: null,
        observed_at: f.observed_at,
        sequence: f.sequence,
        evidence: fs.flatMap((x) => x.evidence).slice(0, 3),
        attributes,
        confidence: Math.min(0.95, 0.4 + 0.1 * sessions.length),
      });
    }
  }
  return out;
}
