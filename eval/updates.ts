/**
 * Facts and preferences that change over time (eval/data/updates, written by the team): dream over
 * the sessions in order, one dream per session, then score the final store against truth.json.
 *
 *   sessions ─► dreamInOrder ─► store ─► parseMemory (facts, preferences)
 *                                           ├─► final value current?      (per subject)
 *                                           ├─► stale value still current? / kept in History with date + evidence?
 *                                           └─► false contradictions: a History pair that is not a real change
 *
 * Memories are matched to truth subjects by value only, never by the engine's keys, so the eval
 * cannot be satisfied by naming things the way the engine does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMemory } from '../src/merger/parse.ts';
import type { MemoryEntry } from '../src/merger/types.ts';
import { dreamInOrder } from './dream-in-order.ts';
import { REPO, type EvalResult } from './report.ts';

interface Subject {
  subject: string;
  kind: 'fact' | 'preference';
  final: string;
  stale: string[];
}
interface Truth {
  subjects: Subject[];
  phantoms: { value: string; why: string }[];
  near_misses: { a: string; b: string; why: string }[];
  restated: { value: string; why: string }[];
}

export const UPDATES_DIR = join(REPO, 'eval', 'data', 'updates');

/** Values compare loosely on form, strictly on content: case, quotes, a version's "v", articles. */
export function normValue(v: string): string {
  return v
    .toLowerCase()
    .replace(/[`'"]/g, '')
    .replace(/(^|\s)v(?=\d)/g, '$1')
    .replace(/\b(?:the|a|an)\b/g, ' ')
    .replace(/[.,;!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface UpdatesScore {
  subjects: { subject: string; kind: string; final: string; current: boolean; stale_current: string[]; stale_in_history: number; stale: number }[];
  false_contradictions: { path: string; current: string; superseded: string; why: string }[];
  phantoms: { value: string; path: string }[];
}

/** Score memories against the truth; pure, so tests can feed it a store directly. */
export function scoreUpdates(entries: readonly MemoryEntry[], truth: Truth): UpdatesScore {
  const mems = entries.filter((e) => e.kind === 'fact' || e.kind === 'preference');
  const currentOf = (kind: string, value: string): MemoryEntry[] => mems.filter((m) => m.kind === kind && m.value !== null && normValue(m.value) === normValue(value));
  const subjects = truth.subjects.map((s) => {
    const holders = currentOf(s.kind, s.final);
    const staleCurrent = s.stale.filter((v) => currentOf(s.kind, v).length > 0);
    const inHistory = s.stale.filter((v) =>
      holders.some((m) => m.history.some((h) => normValue(h.value) === normValue(v) && h.evidence.length > 0 && h.last_seen.at !== null)),
    ).length;
    return { subject: s.subject, kind: s.kind, final: s.final, current: holders.length > 0, stale_current: staleCurrent, stale_in_history: inHistory, stale: s.stale.length };
  });

  // A superseded value is a real change only when truth has both values for the same subject.
  const sameSubject = (a: string, b: string): boolean =>
    truth.subjects.some((s) => {
      const vals = [s.final, ...s.stale].map(normValue);
      return vals.includes(normValue(a)) && vals.includes(normValue(b));
    });
  const false_contradictions: UpdatesScore['false_contradictions'] = [];
  for (const m of mems) {
    if (m.value === null) continue;
    for (const h of m.history) {
      if (normValue(h.value) === normValue(m.value)) false_contradictions.push({ path: m.path, current: m.value, superseded: h.value, why: 'the same value restated' });
      else if (!sameSubject(m.value, h.value)) {
        const nm = truth.near_misses.find((n) => [n.a, n.b].map(normValue).sort().join('\0') === [m.value!, h.value].map(normValue).sort().join('\0'));
        false_contradictions.push({ path: m.path, current: m.value, superseded: h.value, why: nm ? `near-miss: ${nm.why}` : 'not a change of one subject in the truth' });
      }
    }
  }
  const phantoms: UpdatesScore['phantoms'] = [];
  for (const p of truth.phantoms) {
    for (const m of mems) {
      const vals = [m.value ?? '', ...m.history.map((h) => h.value)].map(normValue);
      if (vals.includes(normValue(p.value))) phantoms.push({ value: p.value, path: m.path });
    }
  }
  return { subjects, false_contradictions, phantoms };
}

export async function run(): Promise<EvalResult> {
  const truth = JSON.parse(readFileSync(join(UPDATES_DIR, 'truth.json'), 'utf8')) as Truth;
  const files = readdirSync(UPDATES_DIR)
    .filter((f) => f.startsWith('session-'))
    .sort()
    .map((f) => join(UPDATES_DIR, f));
  const dreamed = await dreamInOrder(files, 'updates');
  const entries = dreamed.snapshot.flatMap((m) => parseMemory(m.path, m.content) ?? []);
  const score = scoreUpdates(entries, truth);

  const changes = truth.subjects.reduce((n, s) => n + s.stale.length, 0);
  const finalRight = score.subjects.filter((s) => s.current).length / score.subjects.length;
  const staleCurrent = score.subjects.reduce((n, s) => n + s.stale_current.length, 0);
  const staleInHistory = score.subjects.reduce((n, s) => n + s.stale_in_history, 0);
  const summary =
    `${files.length} sessions, ${truth.subjects.length} subjects, ${changes} changes. Final values right: ${(finalRight * 100).toFixed(1)}%; ` +
    `stale values wrongly current: ${staleCurrent}/${changes}; stale values kept in History with date and evidence: ${staleInHistory}/${changes}; ` +
    `false contradictions: ${score.false_contradictions.length}; phantom values (questions, hypotheticals, third parties): ${score.phantoms.length}.`;
  return {
    name: 'updates',
    summary,
    tables: [
      {
        title: 'Headline',
        columns: ['sessions', 'subjects', 'changes', 'final values right', 'stale wrongly current', 'stale kept in History', 'false contradictions', 'phantom values'],
        rows: [[files.length, truth.subjects.length, changes, finalRight, `${staleCurrent}/${changes}`, `${staleInHistory}/${changes}`, score.false_contradictions.length, score.phantoms.length]],
      },
      {
        title: 'Per subject',
        columns: ['subject', 'kind', 'final value', 'current?', 'stale still current', 'stale in History'],
        rows: score.subjects.map((s) => [s.subject, s.kind, `\`${s.final}\``, s.current ? 'yes' : 'NO', s.stale_current.join(', ') || '—', `${s.stale_in_history}/${s.stale}`]),
      },
      {
        title: 'False contradictions',
        columns: ['memory', 'current', 'superseded', 'why it is wrong'],
        rows: score.false_contradictions.map((f) => [f.path, f.current, f.superseded, f.why]),
      },
    ],
    json: { sessions: files.length, changes, final_right: finalRight, stale_current: staleCurrent, stale_in_history: staleInHistory, ...score },
    notes: [
      'Memories are matched to subjects by value (normalized: case, quotes, a leading "v" before a version, articles), never by engine keys.',
      'A false contradiction is any History entry whose value and the current value are not two values of one subject in truth.json (near-miss pairs are named).',
      'Phantom values come only from questions, hypotheticals and other people\'s preferences; they must appear nowhere.',
    ],
  };
}
