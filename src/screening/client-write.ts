import { InvalidInputError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { QuarantineRepo } from './quarantine.ts';
import { describeFlags, screenContent } from './screen.ts';

/**
 * Screen a memory written by a client (API or CLI) before it lands: flagged content (an
 * injection, hidden Unicode, an exfiltration link, an encoded blob) is refused with a 400
 * `content_quarantined` naming each reason, and recorded in the quarantine for review.
 *
 * Secrets are not a reason to refuse here, and the content is not rewritten behind the
 * caller's back (its content_sha256 would no longer be what it sent): what a person writes into
 * their own store stays theirs. A dream that reads such a store redacts the secret at write
 * time, and the grader's secrets check names it.
 */
export async function screenClientWrite(
  root: RootPaths,
  storeId: string,
  path: string | (() => Promise<string>),
  content: string,
  actor: object,
  operation: 'create' | 'update',
  /** Throws when the write would be refused anyway (no such store, a read-only tier): nothing is quarantined then. */
  assertWritable: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  const r = screenContent(content);
  if (r.flags.length === 0) return;
  await assertWritable();
  const memoryPath = typeof path === 'string' ? path : await path();
  const entry = await new QuarantineRepo(root).add({
    source: {
      type: 'client',
      actor: Object.fromEntries(Object.entries(actor).map(([k, v]) => [k, String(v)])),
      operation,
    },
    memory_store_id: storeId,
    path: memoryPath,
    flags: r.flags,
    // The quarantine never keeps a secret, whoever wrote it.
    content: r.content,
    sessions: [],
    evidence: [],
  });
  throw new InvalidInputError(
    'content_quarantined',
    `content: ${memoryPath} was not written and is quarantined as ${entry.id}: ${describeFlags(r.flags)}`,
    { quarantine_id: entry.id, rules: [...new Set(r.flags.map((f) => f.rule))] },
  );
}
