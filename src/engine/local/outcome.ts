/**
 * How sessions ended, as the transcripts themselves say it (ingest reads `resolved` or an exit
 * status from the file; labels kept elsewhere are never read). Used to say how a failure or a
 * playbook relates to the outcome of the sessions that hit it.
 */

export interface SessionOutcome {
  resolved: boolean | null;
  exit_status: string | null;
}

export type OutcomeMap = ReadonlyMap<string, SessionOutcome | null>;

// Exit statuses that mean the agent finished its task normally (mini-SWE-agent: `Submitted`).
const GOOD_EXIT = /^(?:submitted|success|succeeded|completed|resolved|done|finished)$/i;

/** A session ended well: resolved, or (when nobody says whether it was) a normal exit status. */
export function endedWell(o: SessionOutcome | null | undefined): boolean {
  if (!o) return false;
  if (o.resolved !== null) return o.resolved;
  return o.exit_status !== null && GOOD_EXIT.test(o.exit_status.trim());
}

interface Tally {
  total: number;
  resolved: number;
  unresolved: number;
  exits: Map<string, number>;
}

function tally(sessions: readonly string[], outcomes: OutcomeMap): Tally {
  const t: Tally = { total: sessions.length, resolved: 0, unresolved: 0, exits: new Map() };
  for (const s of sessions) {
    const o = outcomes.get(s);
    if (o?.resolved === true) t.resolved++;
    else if (o?.resolved === false) t.unresolved++;
    else if (o?.exit_status) t.exits.set(o.exit_status, (t.exits.get(o.exit_status) ?? 0) + 1);
  }
  return t;
}

const pct = (a: number, b: number): string => `${Math.round((100 * a) / b)}%`;

/**
 * One sentence relating `sessions` to how they ended, next to the base rate of every session of
 * the dream; null when none of them says how it ended.
 */
export function outcomeSentence(what: string, sessions: readonly string[], outcomes: OutcomeMap): string | null {
  const t = tally(sessions, outcomes);
  const known = t.resolved + t.unresolved;
  if (known > 0) {
    const all = tally([...outcomes.keys()], outcomes);
    const allKnown = all.resolved + all.unresolved;
    const unknown = t.total - known;
    return (
      `Outcome: ${t.resolved} of the ${known} ${what} with a known outcome ended resolved (${pct(t.resolved, known)})` +
      (unknown > 0 ? `, ${unknown} unknown` : '') +
      `; across all ${allKnown} sessions of this dream with a known outcome: ${all.resolved} (${pct(all.resolved, allKnown)}).`
    );
  }
  if (t.exits.size === 0) return null;
  const exits = [...t.exits.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const silent = t.total - [...t.exits.values()].reduce((a, b) => a + b, 0);
  return (
    `Outcome: exit status of the ${t.total} ${what}: ${exits.map(([s, n]) => `${s} in ${n}`).join(', ')}` +
    (silent > 0 ? `, none recorded in ${silent}` : '') +
    ' (whether the task was solved is not recorded).'
  );
}
