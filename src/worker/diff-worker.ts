/**
 * Cross-run diff in a worker thread: one passing run against the failing runs before it.
 * Reads the sessions read-only and returns small template diffs.
 */
import { RootPaths } from '../core/root.ts';
import { TemplateCache, diffRuns } from '../engine/local/run-diff.ts';
import { DiffTask, type DiffResult } from './protocol.ts';

export default async function diff(message: unknown): Promise<DiffResult> {
  const task = DiffTask.parse(message);
  const cache = new TemplateCache(new RootPaths(task.root), 2);
  const diffs: DiffResult['diffs'] = [];
  for (const fail of task.fails) diffs.push({ fail, diff: await diffRuns(cache, fail, task.pass) });
  return { pass: task.pass, diffs };
}
