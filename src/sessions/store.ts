import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson } from '../core/atomic.ts';
import { DreamworkError, InvalidInputError, NotFoundError } from '../core/errors.ts';
import { assertId, isId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { readLineBatches } from './lines-reader.ts';
import { Session, SessionEvent } from './schema.ts';
import { openContent } from './source.ts';

/** Reading imported sessions back: the record, the normalized events, the original lines. */

/** Every stored session, sorted by id; folders without a valid session.json are skipped. */
export async function listSessions(paths: RootPaths): Promise<Session[]> {
  const names = await readdir(paths.sessionsDir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  const out: Session[] = [];
  for (const name of names.filter((n) => isId('session', n)).sort()) {
    try {
      out.push(await readJson(join(paths.session(name), 'session.json'), Session));
    } catch {
      // An unreadable folder is not a session; `getSession` on it reports why.
    }
  }
  return out;
}

export async function getSession(paths: RootPaths, id: string): Promise<Session> {
  const dir = paths.session(assertId('session', id));
  try {
    return await readJson(join(dir, 'session.json'), Session);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('session', id);
    throw e;
  }
}

/** The session's events in order, streamed; a corrupt line is an error naming file and line. */
export async function* readEvents(paths: RootPaths, id: string): AsyncGenerator<SessionEvent> {
  const session = await getSession(paths, id);
  const file = join(paths.session(session.id), 'events.jsonl');
  for await (const batch of readLineBatches(openContent(file, false))) {
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.first + i;
      let parsed;
      try {
        parsed = SessionEvent.safeParse(JSON.parse(batch.lines[i]!));
      } catch (e) {
        throw new DreamworkError('corrupt_file', `${file}:${line}: not valid JSON (${(e as Error).message})`);
      }
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new DreamworkError(
          'corrupt_file',
          `${file}:${line}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid event'}`,
        );
      }
      yield parsed.data;
    }
  }
}

export async function readEventsArray(paths: RootPaths, id: string): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for await (const ev of readEvents(paths, id)) out.push(ev);
  return out;
}

/** Longest range one call may ask for; a caller wanting more pages through it. */
export const MAX_ORIGINAL_LINES = 100_000;

/**
 * Lines `start..end` (1-based, inclusive) of the original, decompressed, numbered by the core
 * line rule. Streams and stops at `end`, so it works on a 2 GB log. A range past the end of the
 * file returns the lines that exist.
 */
export async function readOriginalLines(
  paths: RootPaths,
  id: string,
  start: number,
  end: number,
): Promise<string[]> {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) {
    throw new InvalidInputError(
      'invalid_range',
      `lines: ${start}-${end} is not a valid 1-based range (start ≥ 1, end ≥ start)`,
      {
        field: 'lines',
      },
    );
  }
  if (end - start + 1 > MAX_ORIGINAL_LINES) {
    throw new InvalidInputError(
      'invalid_range',
      `lines: ${start}-${end} spans more than ${MAX_ORIGINAL_LINES} lines`,
      { field: 'lines' },
    );
  }
  const session = await getSession(paths, id);
  const file = join(paths.session(session.id), session.source.original_file);
  const out: string[] = [];
  for await (const batch of readLineBatches(openContent(file, session.source.gzip))) {
    const last = batch.first + batch.lines.length - 1;
    if (last < start) continue;
    const from = Math.max(start - batch.first, 0);
    const to = Math.min(end - batch.first, batch.lines.length - 1);
    for (let i = from; i <= to; i++) out.push(batch.lines[i]!);
    if (last >= end) break;
  }
  return out;
}
