import { findSecrets } from '../secrets.ts';
import type { CheckContext, CheckGap, CheckOutcome } from './types.ts';

/** No secret in any memory, including the index and hand-written ones. Never echoes the secret. */
export function checkSecrets(ctx: CheckContext): CheckOutcome {
  const gaps: CheckGap[] = [];
  for (const m of ctx.candidate) {
    const hits = findSecrets(m.content);
    if (hits.length === 0) continue;
    gaps.push({
      memory_path: m.path,
      action: 'redact',
      problem: `contains secrets: ${hits.map((h) => `line ${h.line} (${h.kind})`).join(', ')}`,
    });
  }
  return {
    gaps,
    explanation: gaps.length === 0 ? `No secrets found in ${ctx.candidate.length} files.` : `${gaps.length} file(s) contain secrets.`,
  };
}
