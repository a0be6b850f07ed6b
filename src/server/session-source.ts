/**
 * Where a session id leads: an imported transcript (sessions/<sesn>/) or a dream's own event
 * log (dreams/<drm>/events.jsonl, named by dream.session_id). Archive and delete of imported
 * sessions live here too; the sessions store itself only imports and reads.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { writeJsonAtomic } from '../core/atomic.ts';
import { nowIso } from '../core/clock.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../core/errors.ts';
import { isId } from '../core/ids.ts';
import { withFileLock } from '../core/lock.ts';
import { readDreamEvents, type DreamEvent } from '../dreams/event-log.ts';
import { isFinal } from '../dreams/lifecycle.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import type { Session } from '../sessions/schema.ts';
import { getSession, listSessions } from '../sessions/store.ts';
import type { ServerContext } from './context.ts';
import { dreamSessionView, importedSessionView } from './session-view.ts';

export type FoundSession = { kind: 'imported'; session: Session } | { kind: 'dream'; dream: DreamRecord };

export function dreamEventsFile(ctx: ServerContext, dreamId: string): string {
  return join(ctx.dreams.dir(dreamId), 'events.jsonl');
}

export async function dreamEvents(ctx: ServerContext, dreamId: string): Promise<DreamEvent[]> {
  return readDreamEvents(dreamEventsFile(ctx, dreamId));
}

export async function findSession(ctx: ServerContext, id: string): Promise<FoundSession> {
  if (!isId('session', id)) throw new NotFoundError('session', id);
  try {
    return { kind: 'imported', session: await getSession(ctx.paths, id) };
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const dream = (await ctx.dreams.list({ include_archived: true })).find((d) => d.session_id === id);
  if (!dream) throw new NotFoundError('session', id);
  return { kind: 'dream', dream };
}

export async function sessionView(ctx: ServerContext, found: FoundSession): Promise<BetaManagedAgentsSession> {
  return found.kind === 'imported' ? importedSessionView(found.session) : dreamSessionView(found.dream, await dreamEvents(ctx, found.dream.id));
}

/** Imported sessions and dreams' sessions, archived ones only when asked. */
export async function allSessionViews(ctx: ServerContext, includeArchived: boolean): Promise<BetaManagedAgentsSession[]> {
  const imported = (await listSessions(ctx.paths)).filter((s) => includeArchived || !s.archived_at).map(importedSessionView);
  const dreams = await ctx.dreams.list({ include_archived: includeArchived });
  const ofDreams = await Promise.all(dreams.filter((d) => d.session_id).map(async (d) => dreamSessionView(d, await dreamEvents(ctx, d.id))));
  return [...imported, ...ofDreams];
}

function sessionLock(ctx: ServerContext, id: string): string {
  return join(ctx.paths.locksDir, `session-${id}.lock`);
}

/** Archive: hidden from lists unless include_archived; a dream's session archives with its dream. */
export async function archiveSession(ctx: ServerContext, id: string): Promise<BetaManagedAgentsSession> {
  const found = await findSession(ctx, id);
  if (found.kind === 'dream') return sessionView(ctx, { kind: 'dream', dream: await ctx.dreams.archive(found.dream.id) });
  const session = await withFileLock(sessionLock(ctx, id), async () => {
    const current = await getSession(ctx.paths, id);
    if (current.archived_at) return current;
    const next = { ...current, archived_at: nowIso() };
    await writeJsonAtomic(join(ctx.paths.session(id), 'session.json'), next);
    return next;
  });
  return importedSessionView(session);
}

/**
 * Delete an imported session: its folder goes (renamed aside first, so a reader sees it whole or
 * not at all). Refused while a dream that is not over reads it; a dream's own session is its
 * event log and goes only with the dream.
 */
export async function deleteSession(ctx: ServerContext, id: string): Promise<{ id: string; type: 'session_deleted' }> {
  const found = await findSession(ctx, id);
  if (found.kind === 'dream') {
    throw new InvalidInputError('dream_session_not_deletable', `session ${id} is the event log of dream ${found.dream.id}; archive the dream instead`);
  }
  await withFileLock(sessionLock(ctx, id), async () => {
    const user = (await ctx.dreams.list({ include_archived: true })).find(
      (d) => !isFinal(d.status) && d.inputs.some((i) => i.type === 'sessions' && i.session_ids.includes(id)),
    );
    if (user) throw new ConflictError('session_in_use', `session ${id} is read by dream ${user.id}, which is ${user.status}; cancel it or wait for it to end`);
    const aside = join(ctx.paths.sessionsDir, `.deleted-${id}-${randomBytes(4).toString('hex')}`);
    await rename(ctx.paths.session(id), aside);
    await rm(aside, { recursive: true, force: true });
  });
  return { id, type: 'session_deleted' };
}
