import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { nowIso } from '../core/clock.ts';
import { DreamworkError } from '../core/errors.ts';
import { syncDir, writeJsonAtomic } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';
import { sniff } from './detect.ts';
import { ParseContext } from './events.ts';
import { normalize } from './normalize.ts';
import { scanFile, type Scan } from './scan.ts';
import { Session } from './schema.ts';
import { copyWithHash, makeStagingDir } from './staging.ts';
import { getSession } from './store.ts';
import { EventWriter } from './writer.ts';

/**
 * One file's import, the unit a worker thread runs:
 *
 *   scan (hash → session id, refusals) ─► already stored? → existing
 *        │ no
 *        ▼
 *   sessions/.import-<pid>-<rand>/   parse → events.jsonl (and the byte copy, original), session.json
 *                                    (a gzip file: original.gz copied first, then parsed)
 *        │ rename (atomic)
 *        ▼
 *   sessions/<sesn_…>/
 *
 * A failed or killed import leaves at most a dot-folder that the next import removes; a stored
 * session is never touched.
 */
export type FileProgress = (e: { type: 'file_progress'; path: string; bytes: number }) => void;

const PROGRESS_EVERY = 64 * 1024 * 1024;

/** Why a log is flagged partial (the lead's memories say so); see run-end.ts. */
export const PARTIAL_REASON = 'the log stops mid-line with no final status or exit line: the run was cut off';

export async function importFile(
  paths: RootPaths,
  path: string,
  emit: FileProgress = () => {},
  /** The path to record as the session's source, when `path` is only where the bytes were staged (an upload). */
  sourcePath: string = path,
): Promise<{ status: 'imported' | 'existing'; session: Session }> {
  const scan = await scanFile(path);
  const finalDir = paths.session(scan.sessionId);
  const already = await findExisting(paths, scan.sessionId);
  if (already) return { status: 'existing', session: already };

  const tmp = await makeStagingDir(paths);
  try {
    const originalFile = scan.gzip ? 'original.gz' : 'original';
    const originalPath = join(tmp, originalFile);
    // A plain file's bytes are the content: the parse pass reads the file itself and writes the
    // copy as it goes (its re-hash proves the copy is what was parsed). A gzip file's bytes are
    // not what is parsed: copy it first, then parse the copy.
    const original =
      scan.rawSha256 !== null ? { bytes: scan.bytes, sha256: scan.rawSha256 } : await copyWithHash(path, originalPath);
    const ctx = new ParseContext();
    const sniffed = sniff(scan.head);
    const fh = await open(join(tmp, 'events.jsonl'), 'w');
    const writer = new EventWriter(fh, scan.sessionId);
    let copyTo: FileHandle | null = null;
    let format: Session['format'];
    let nextReport = PROGRESS_EVERY;
    try {
      if (scan.rawSha256 !== null) copyTo = await open(originalPath, 'w', 0o644);
      format = await normalize(
        {
          file: copyTo ? path : originalPath,
          gzip: scan.gzip,
          sessionId: scan.sessionId,
          sniff: sniffed,
          onBytes: (bytes) => {
            if (bytes >= nextReport) {
              nextReport += PROGRESS_EVERY;
              emit({ type: 'file_progress', path, bytes });
            }
          },
          ...(copyTo ? { copyTo } : {}),
        },
        ctx,
        writer,
      );
      await writer.finish();
      await Promise.all([fh.sync(), copyTo?.sync()]);
    } finally {
      await Promise.all([fh.close(), copyTo?.close()]);
    }
    if (writer.count === 0) {
      const first = ctx.warnings[0];
      throw new DreamworkError(
        'no_events',
        `no importable events${first ? ` (${ctx.warningCount} warnings; first: line ${first.line}: ${first.message})` : ''}`,
      );
    }
    flagIncomplete(scan, sniffed.mode === 'text' && format === 'text_log', ctx);
    const session = buildSession(sourcePath, scan, original, originalFile, format, ctx, writer);
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

/**
 * A log cut short is imported for what it holds, and says so: `metadata.truncated` (the bytes
 * end early) and `metadata.partial` (the run's end is missing), each a reason a person can read.
 */
function flagIncomplete(scan: Scan, lineLog: boolean, ctx: ParseContext): void {
  if (scan.truncated !== null) {
    ctx.metadata.truncated = scan.truncated;
    ctx.warn(0, `${scan.truncated}: imported the ${scan.bytes} bytes that could be read`);
  }
  // Only a line-by-line log can stop mid-run; a JSON document read as text just lacks a final `\n`.
  if (lineLog && !scan.endsWithNewline && ctx.finalStatus === null) {
    ctx.metadata.partial = PARTIAL_REASON;
    ctx.warn(scan.lineCount, `partial log: ${PARTIAL_REASON}`);
  }
}

function buildSession(
  path: string,
  scan: Scan,
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
