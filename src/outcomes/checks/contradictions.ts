import { cmpStr } from '../../merger/canonical.ts';
import { valueMatters } from '../../merger/similar.ts';
import type { CheckContext, CheckGap, CheckOutcome } from './types.ts';

/** No two current fact/preference memories assert different values for the same key. */
export function checkContradictions(ctx: CheckContext): CheckOutcome {
  const gaps: CheckGap[] = [];
  const byKey = new Map<string, { path: string; value: string }[]>();
  for (const e of ctx.entries) {
    if (!valueMatters(e.kind) || e.value === null) continue;
    for (const key of e.keys) {
      const k = `${e.kind}\0${key}`;
      const list = byKey.get(k) ?? [];
      list.push({ path: e.path, value: e.value });
      byKey.set(k, list);
    }
  }
  const seen = new Set<string>();
  for (const [k, list] of [...byKey.entries()].sort(([a], [b]) => cmpStr(a, b))) {
    list.sort((a, b) => cmpStr(a.path, b.path));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const pair = `${a.path}\0${b.path}`;
        if (a.value === b.value || seen.has(pair)) continue;
        seen.add(pair);
        const [kind, key] = k.split('\0');
        gaps.push({
          memory_path: a.path,
          other_path: b.path,
          action: 'resolve_contradiction',
          problem: `the ${kind} ${JSON.stringify(key)} is ${JSON.stringify(a.value)} here and ${JSON.stringify(b.value)} in ${b.path}: keep the latest, the other as history`,
        });
      }
    }
  }
  return {
    gaps,
    explanation: gaps.length === 0 ? 'No unresolved contradiction between current facts or preferences.' : `${gaps.length} unresolved contradiction(s).`,
  };
}
