/**
 * The entry of a shared task thread: reads the task's `kind` and hands the message to that kind's
 * handler, which validates it in full. One entry for every kind lets a single pool (started once
 * per `dream run`) serve import, extraction, cross-run diffs and evidence resolution.
 */
import { z } from 'zod';
import diff from './diff-worker.ts';
import evidence from './evidence-worker.ts';
import extract from './extract-worker.ts';
import importTask from './import-worker.ts';
import { POOL_TASK_KINDS } from './protocol.ts';

const Kind = z.object({ kind: z.enum(POOL_TASK_KINDS) });

const HANDLERS = { diff, evidence, extract, import: importTask } satisfies Record<(typeof POOL_TASK_KINDS)[number], (m: unknown) => Promise<unknown>>;

export default function run(message: unknown): Promise<unknown> {
  const task = Kind.safeParse(message);
  if (!task.success) {
    const got = (message as { kind?: unknown } | null)?.kind;
    throw new Error(`task kind: expected one of ${POOL_TASK_KINDS.join(', ')}, got ${JSON.stringify(got)}`);
  }
  return HANDLERS[task.data.kind](message);
}
