import { isManagedPath } from '../../merger/layout.ts';
import { formatProblem } from '../../merger/parse.ts';
import type { CheckContext, CheckGap, CheckOutcome } from './types.ts';

/**
 * Every memory in the dream's folders that carries a provenance section must parse, so its
 * provenance can be traced. Hand-written notes without one are foreign and left alone.
 */
export function checkFormat(ctx: CheckContext): CheckOutcome {
  const gaps: CheckGap[] = [];
  let foreign = 0;
  for (const m of ctx.candidate) {
    if (!isManagedPath(m.path)) continue;
    const problem = formatProblem(m.content);
    if (problem === null) continue;
    if (!m.content.split('\n').includes('## Provenance')) {
      foreign++;
      continue;
    }
    gaps.push({ memory_path: m.path, action: 'drop_entry', problem: `provenance does not parse (${problem})` });
  }
  const note = foreign > 0 ? ` ${foreign} hand-written file(s) without provenance left as written.` : '';
  return {
    gaps,
    explanation: (gaps.length === 0 ? `${ctx.entries.length} memories parse with provenance.` : `${gaps.length} memory(ies) with broken provenance.`) + note,
  };
}
