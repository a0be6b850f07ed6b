import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { nowIso } from '../core/clock.ts';
import { DreamworkError } from '../core/errors.ts';
import { writeJsonAtomic } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';
import { sniff } from './detect.ts';
import { ParseContext } from './events.ts';
import { expandInputs } from './inputs.ts';
import { normalize } from './normalize.ts';
import { scanFile } from './scan.ts';
import { Session } from './schema.ts';
import { copyWithHash, makeStagingDir, sweepAbandonedImports, syncDir } from './staging.ts';
import { getSession } from './store.ts';
import { EventWriter } from './writer.ts';

/**
 * Session import. Per file:
 *
 *   scan (hash → session id, refusals) ─► already stored? → existing
 *        │ no
 *        ▼
 *   sessions/.import-<pid>-<rand>/   original[.gz] (byte copy) → parse → events.jsonl, session.json
 *        │ rename (atomic)
 *        ▼
 *   sessions/<sesn_…>/
 *
 * A failed or killed import leaves at most a dot-folder that the next import removes; a stored
 * session is never touched. One bad file is reported and the others go on.
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
}

/** `path:line: message` (line 0 = the whole file), the way compilers print it. */
export function formatWarning(w: { path: string; line: number; message: string }): string {
  return w.line > 0 ? `${w.path}:${w.line}: ${w.message}` : `${w.path}: ${w.message}`;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const PROGRESS_EVERY = 64 * 1024 * 1024;

export async function importSessions(
  paths: RootPaths,
  inputs: string[],
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = { imported: [], existing: [], failed: [], warnings: [] };
  const { files, errors } = await expandInputs(inputs);
  report.failed.push(...errors);
  await mkdir(paths.sessionsDir, { recursive: true });
  await sweepAbandonedImports(paths);
  const onProgress = opts.onProgress ?? (() => {});
  const total = files.length;
  for (let index = 0; index < files.length; index++) {
    const path = files[index]!;
    const emit = (e: DistributiveOmit<ImportProgress, 'done' | 'total'>): void =>
      onProgress({ ...e, done: index, total } as ImportProgress);
    emit({ type: 'file_start', path, index });
    const fileDone = (status: 'imported' | 'existing' | 'failed', session_id: string | null, reason: string | null) =>
      onProgress({ type: 'file_done', path, index, done: index + 1, total, status, session_id, reason });
    try {
      const r = await importFile(paths, path, emit);
      if (r.status === 'imported') {
        report.imported.push(r.session);
        for (const w of r.session.warnings) report.warnings.push({ path, line: w.line, message: w.message });
      } else report.existing.push(r.session);
      fileDone(r.status, r.session.id, null);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      report.failed.push({ path, reason });
      fileDone('failed', null, reason);
    }
  }
  return report;
}

async function importFile(
  paths: RootPaths,
  path: string,
  emit: (e: { type: 'file_progress'; path: string; bytes: number }) => void,
): Promise<{ status: 'imported' | 'existing'; session: Session }> {
  const scan = await scanFile(path);
  const finalDir = paths.session(scan.sessionId);
  const already = await findExisting(paths, scan.sessionId);
  if (already) return { status: 'existing', session: already };

  const tmp = await makeStagingDir(paths);
  try {
    const originalFile = scan.gzip ? 'original.gz' : 'original';
    const original = await copyWithHash(path, join(tmp, originalFile));
    const ctx = new ParseContext();
    const fh = await open(join(tmp, 'events.jsonl'), 'w');
    const writer = new EventWriter(fh, scan.sessionId);
    let format: Session['format'];
    let nextReport = PROGRESS_EVERY;
    try {
      format = await normalize(
        {
          file: join(tmp, originalFile),
          gzip: scan.gzip,
          sessionId: scan.sessionId,
          sniff: sniff(scan.head),
          onBytes: (bytes) => {
            if (bytes >= nextReport) {
              nextReport += PROGRESS_EVERY;
              emit({ type: 'file_progress', path, bytes });
            }
          },
        },
        ctx,
        writer,
      );
      await writer.flush();
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (writer.count === 0) {
      const first = ctx.warnings[0];
      throw new DreamworkError(
        'no_events',
        `no importable events${first ? ` (${ctx.warningCount} warnings; first: line ${first.line}: ${first.message})` : ''}`,
      );
    }
    const session = buildSession(path, scan, original, originalFile, format, ctx, writer);
    await writeJsonAtomic(join(tmp, 'session.json'), session);
    try {
      await rename(tmp, finalDir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Another import of the same bytes won the race: theirs is identical, keep it.
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        const other = await findExisting(paths, scan.sessionId);
        if (other) return { status: 'existing', session: other };
      }
      throw e;
    }
    await syncDir(paths.sessionsDir);
    return { status: 'imported', session };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function buildSession(
  path: string,
  scan: Awaited<ReturnType<typeof scanFile>>,
  original: { bytes: number; sha256: string },
  originalFile: string,
  format: Session['format'],
  ctx: ParseContext,
  writer: EventWriter,
): Session {
  const skipped = [...ctx.skipped.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (skipped.length > 0) {
    ctx.setMeta(
      'skipped_events',
      skipped.reduce((n, [, c]) => n + c, 0),
    );
    ctx.metadata.skipped_types = skipped.map(([t, c]) => `${t}=${c}`).join(',');
  }
  const metadata: Record<string, string> = {};
  for (const key of Object.keys(ctx.metadata).sort()) metadata[key] = writer.redactText(ctx.metadata[key]!);
  const title = writer.redactText(ctx.title ?? basename(path));
  if (writer.redactions > 0) metadata.redactions = String(writer.redactions);
  const warnings = [...ctx.warnings];
  if (ctx.warningCount > warnings.length) {
    warnings.push({ line: 0, message: `${ctx.warningCount - warnings.length} more warnings not shown` });
  }
  return Session.parse({
    id: scan.sessionId,
    type: 'session',
    kind: ctx.kind ?? (writer.hasTools ? 'agent_transcript' : 'conversation'),
    format,
    title,
    source: {
      path,
      bytes: original.bytes,
      sha256: original.sha256,
      gzip: scan.gzip,
      original_file: originalFile,
    },
    created_at: nowIso(),
    started_at: ctx.startedAt ?? writer.firstTime,
    ended_at: ctx.endedAt ?? writer.lastTime,
    line_count: scan.lineCount,
    event_count: writer.count,
    outcome: ctx.outcome,
    metadata,
    warnings,
    archived_at: null,
  });
}

async function findExisting(paths: RootPaths, id: string): Promise<Session | null> {
  const dir = paths.session(id);
  const st = await stat(dir).catch(() => null);
  if (!st) return null;
  return getSession(paths, id);
}
