import { cmpStr } from '../../merger/canonical.ts';
import { jaccard, NEAR_DUPLICATE_JACCARD, titleTokens, valueMatters } from '../../merger/similar.ts';
import type { CheckContext, CheckGap, CheckOutcome } from './types.ts';

/** No two memories with the same kind+key, nor (same kind) near-identical titles. */
export function checkDuplicates(ctx: CheckContext): CheckOutcome {
  const gaps: CheckGap[] = [];
  const pairs = new Set<string>();
  const add = (a: string, b: string, why: string): void => {
    const [x, y] = cmpStr(a, b) <= 0 ? [a, b] : [b, a];
    if (pairs.has(`${x}\0${y}`)) return;
    pairs.add(`${x}\0${y}`);
    gaps.push({ memory_path: x, other_path: y, action: 'merge_entries', problem: why });
  };
  const byKey = new Map<string, string>();
  for (const e of ctx.entries) {
    for (const key of e.keys) {
      const k = `${e.kind}\0${key}`;
      const other = byKey.get(k);
      if (other !== undefined && other !== e.path) add(other, e.path, `both are the ${e.kind} ${JSON.stringify(key)}`);
      else byKey.set(k, e.path);
    }
  }
  // Same rule as the merger: similar facts/preferences with different values are not duplicates.
  const items = ctx.entries
    .map((e) => ({ e, tokens: titleTokens(e.title), bucket: `${e.kind}\0${valueMatters(e.kind) ? (e.value ?? '') : ''}` }))
    .filter((x) => x.tokens.length > 0)
    .sort((a, b) => a.tokens.length - b.tokens.length || cmpStr(a.e.path, b.e.path));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      if (a.tokens.length < NEAR_DUPLICATE_JACCARD * b.tokens.length) break;
      if (a.bucket === b.bucket && jaccard(a.tokens, b.tokens) >= NEAR_DUPLICATE_JACCARD) {
        add(a.e.path, b.e.path, `near-identical titles: ${JSON.stringify(a.e.title)} and ${JSON.stringify(b.e.title)}`);
      }
    }
  }
  return {
    gaps,
    explanation: gaps.length === 0 ? `No duplicates among ${ctx.entries.length} memories.` : `${gaps.length} pair(s) of memories say the same thing.`,
  };
}
