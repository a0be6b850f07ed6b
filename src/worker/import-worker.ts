/**
 * Imports one file inside a piscina worker thread: scanning, copying and parsing a build log are
 * CPU-bound, so a pool of these is what makes importing hundreds of logs use every core.
 * A refused file is a result, not an error, so the pool keeps going.
 */
import { isDreamworkError } from '../core/errors.ts';
import { RootPaths } from '../core/root.ts';
import { importFile } from '../sessions/import-file.ts';
import { ImportTask, type ImportFileResult } from './protocol.ts';

export default async function importTask(message: unknown): Promise<ImportFileResult> {
  const task = ImportTask.parse(message);
  try {
    return await importFile(new RootPaths(task.root), task.path, undefined, task.source_path);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return isDreamworkError(e) ? { status: 'failed', reason, code: e.code, error_status: e.status } : { status: 'failed', reason };
  }
}
