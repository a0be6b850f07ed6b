import { renderEvidence } from '../../merger/render.ts';
import { evidenceKey } from '../evidence-key.ts';
import { redact } from '../secrets.ts';
import type { CheckContext, CheckGap, CheckOutcome } from './types.ts';

/**
 * Every quote must literally occur in the text its evidence points at (or in that text once
 * secrets are redacted, since memories never carry a secret), every memory must cite something,
 * and "seen in N sessions" must match the sessions it lists.
 */
export function checkEvidence(ctx: CheckContext): CheckOutcome {
  const gaps: CheckGap[] = [];
  let cited = 0;
  for (const entry of ctx.entries) {
    const path = entry.path;
    if (entry.evidence.length === 0) {
      gaps.push({ memory_path: path, action: 'drop_entry', problem: 'the memory quotes no evidence for its lesson' });
    }
    const reported = new Set<string>();
    for (const e of [...entry.evidence, ...entry.history.flatMap((h) => h.evidence)]) {
      cited++;
      const key = evidenceKey(e);
      const text = ctx.evidence[key];
      let problem: string | null = null;
      if (text === undefined) problem = `cited evidence ${renderEvidence(e).split(': ')[0]} could not be found in the sessions`;
      else if (e.quote.trim() === '') problem = `evidence ${key} has an empty quote`;
      else if (!text.includes(e.quote) && !redact(text).includes(e.quote)) problem = `quote ${JSON.stringify(e.quote.slice(0, 80))} does not occur in the cited text of ${key}`;
      if (problem !== null && !reported.has(key)) {
        reported.add(key);
        gaps.push({ memory_path: path, action: 'drop_evidence', evidence_key: key, problem });
      }
      if (!entry.sessions.includes(e.session_id)) {
        gaps.push({ memory_path: path, action: 'trim', problem: `evidence cites ${e.session_id}, which the session list does not include: recount` });
      }
    }
    if (entry.occurrences !== entry.sessions.length) {
      gaps.push({
        memory_path: path,
        action: 'trim',
        problem: `says "seen in ${entry.occurrences} sessions" but lists ${entry.sessions.length}: recount`,
      });
    }
  }
  return {
    gaps,
    explanation:
      gaps.length === 0
        ? `All ${cited} quotes in ${ctx.entries.length} memories occur in their cited evidence, and every session count matches.`
        : `${gaps.length} problem(s) with cited evidence or session counts across ${ctx.entries.length} memories.`,
  };
}
