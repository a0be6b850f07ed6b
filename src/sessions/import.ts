import { mkdir, stat } from 'node:fs/promises';
import { TaskPool } from '../coordinator/pool.ts';
import type { RootPaths } from '../core/root.ts';
import { ImportFileResult, type ImportTask } from '../worker/protocol.ts';
import { importFile } from './import-file.ts';
import { expandInputs } from './inputs.ts';
import type { Session } from './schema.ts';
import { sweepAbandonedImports } from './staging.ts';

/**
 * Session import: expand the inputs, then import each file (import-file.ts) — on this thread,
 * or with `workers` > 1 on a pool of worker threads, one file per task, since scanning and
 * parsing are CPU-bound. Files finish in any order; the report lists them in input order, so
 * the result does not depend on the number of workers. One bad file is reported and the
 * others go on.
 */
export interface ImportReport {
  imported: Session[];
  existing: Session[];
  failed: { path: string; reason: string }[];
  warnings: { path: string; line: number; message: string }[];
}

/** Every event says how many files are finished (`done`) of `total`, for a simple progress line. */
export type ImportProgress = { done: number; total: number } & (
  | { type: 'file_start'; path: string; index: number }
  | { type: 'file_progress'; path: string; bytes: number }
  | {
      type: 'file_done';
      path: string;
      index: number;
      status: 'imported' | 'existing' | 'failed';
      session_id: string | null;
      reason: string | null;
    }
);

export interface ImportOptions {
  onProgress?: (e: ImportProgress) => void;
  /** Threads to import on (default 1: this thread). Byte progress within a file is reported only on this thread. */
  workers?: number;
  /** A task pool to import on instead of starting one (`dream run` shares its pool with the dreams). */
  pool?: TaskPool;
}

/** Inputs up to this size import on the calling thread (no thread start-up for a handful of files). */
const IN_THREAD_MAX_BYTES = 256 * 1024 * 1024;

async function totalBytes(files: string[]): Promise<number> {
  let sum = 0;
  for (const f of files) sum += (await stat(f).catch(() => null))?.size ?? 0;
  return sum;
}

/** File indexes by size, largest first; ties (and unreadable files) in input order. */
async function largestFirst(files: string[]): Promise<number[]> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f).catch(() => null))?.size ?? 0));
  return files.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
}

/** `path:line: message` (line 0 = the whole file), the way compilers print it. */
export function formatWarning(w: { path: string; line: number; message: string }): string {
  return w.line > 0 ? `${w.path}:${w.line}: ${w.message}` : `${w.path}: ${w.message}`;
}

export async function importSessions(
  paths: RootPaths,
  inputs: string[],
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const { files, errors } = await expandInputs(inputs);
  await mkdir(paths.sessionsDir, { recursive: true });
  await sweepAbandonedImports(paths);
  const onProgress = opts.onProgress ?? (() => {});
  const total = files.length;
  const threads = Math.max(1, Math.min(opts.workers ?? 1, files.length));
  // Big inputs always go to worker threads, even one file on one thread: a thread's heap is
  // capped and freed when it ends, so a 2 GB log leaves no garbage behind in this process.
  const big = threads > 1 || (opts.workers !== undefined && (await totalBytes(files)) >= IN_THREAD_MAX_BYTES);
  const pool = big ? (opts.pool ?? TaskPool.create(threads)) : null;
  const results = new Array<ImportFileResult>(files.length);
  // On threads, largest files first: the last files to finish are then small, so no thread
  // idles long at the end. The report keeps input order whatever order files run in.
  const order = pool ? await largestFirst(files) : files.map((_, i) => i);
  let next = 0;
  let done = 0;

  const one = async (index: number): Promise<ImportFileResult> => {
    const path = files[index]!;
    if (pool) {
      const task: ImportTask = { kind: 'import', root: paths.root, path };
      return ImportFileResult.parse(await pool.run(task));
    }
    try {
      return await importFile(paths, path, (e) => onProgress({ ...e, done, total }));
    } catch (e) {
      return { status: 'failed', reason: e instanceof Error ? e.message : String(e) };
    }
  };

  // `threads` lanes each take the next file, so file_start is sent when a file really starts.
  const lane = async (): Promise<void> => {
    while (next < order.length) {
      const index = order[next++]!;
      const path = files[index]!;
      onProgress({ type: 'file_start', path, index, done, total });
      const r = await one(index);
      results[index] = r;
      done++;
      onProgress({
        type: 'file_done',
        path,
        index,
        done,
        total,
        status: r.status,
        session_id: r.status === 'failed' ? null : r.session.id,
        reason: r.status === 'failed' ? r.reason : null,
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    if (pool !== opts.pool) await pool?.destroy();
  }

  const report: ImportReport = { imported: [], existing: [], failed: [...errors], warnings: [] };
  results.forEach((r, index) => {
    const path = files[index]!;
    if (r.status === 'failed') report.failed.push({ path, reason: r.reason });
    else if (r.status === 'existing') report.existing.push(r.session);
    else {
      report.imported.push(r.session);
      for (const w of r.session.warnings) report.warnings.push({ path, line: w.line, message: w.message });
    }
  });
  return report;
}
