import { cmpStr } from '../../merger/canonical.ts';
import { MAX_CONTENT_BYTES, MAX_MEMORIES_PER_STORE } from '../../memory/limits.ts';
import { validateMemoryPath } from '../../memory/paths.ts';
import type { CheckContext, CheckGap, CheckOutcome } from './types.ts';

/** The store's own rules: valid paths, content ≤ 102,400 bytes, ≤ 2,000 memories. */
export function checkLimits(ctx: CheckContext): CheckOutcome {
  const gaps: CheckGap[] = [];
  for (const m of ctx.candidate) {
    try {
      validateMemoryPath(m.path, 'path');
    } catch (e) {
      gaps.push({ memory_path: m.path, action: 'trim', problem: `invalid path: ${(e as Error).message.slice(0, 200)}` });
    }
    const bytes = Buffer.byteLength(m.content, 'utf8');
    if (bytes > MAX_CONTENT_BYTES) gaps.push({ memory_path: m.path, action: 'trim', problem: `content is ${bytes} bytes; the limit is ${MAX_CONTENT_BYTES}` });
  }
  const excess = ctx.candidate.length - MAX_MEMORIES_PER_STORE;
  if (excess > 0) {
    // Suggest dropping the least-seen memories of the dream; hand-written files are never suggested.
    const victims = [...ctx.entries]
      .sort((a, b) => a.occurrences - b.occurrences || a.confidence - b.confidence || cmpStr(b.path, a.path))
      .slice(0, excess);
    for (const e of victims) {
      gaps.push({ memory_path: e.path, action: 'drop_entry', problem: `the store holds ${ctx.candidate.length} memories; the limit is ${MAX_MEMORIES_PER_STORE}` });
    }
  }
  return {
    gaps,
    explanation:
      gaps.length === 0
        ? `${ctx.candidate.length} memories, all paths valid and every file within ${MAX_CONTENT_BYTES} bytes.`
        : `${gaps.length} limit violation(s).`,
  };
}
