import type { FastifyInstance } from 'fastify';
import type { BetaManagedAgentsDeletedSession, BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { InvalidInputError } from '../../core/errors.ts';
import { isFinal } from '../../dreams/lifecycle.ts';
import { readEvents } from '../../sessions/store.ts';
import type { ServerContext } from '../context.ts';
import { paginate, type Page } from '../pagination.ts';
import { bool, createdAtFilter, list, str, type Query } from '../query.ts';
import { allSessionViews, archiveSession, deleteSession, dreamEvents, findSession, sessionView, type FoundSession } from '../session-source.ts';
import { dreamEndEvent, dreamEventView, importedEventMapper, type ApiEvent } from '../session-view.ts';
import { sendSse, tailDream } from '../sse.ts';
import { sessionImportRoute } from './session-import.ts';

interface SessionParams {
  Params: { session_id: string };
}

function order(q: Query): 'asc' | 'desc' | undefined {
  const o = str(q, 'order');
  if (o === undefined || o === 'asc' || o === 'desc') return o;
  throw new InvalidInputError('invalid_query', `query parameter order: must be asc or desc, got ${JSON.stringify(o)}`);
}

/** Every event of a session, in order; a finished dream's log ends with its final status. */
async function eventsOf(ctx: ServerContext, found: FoundSession): Promise<ApiEvent[]> {
  if (found.kind === 'dream') {
    const d = found.dream;
    const events = (await dreamEvents(ctx, d.id)).map((e) => dreamEventView(d, e));
    return isFinal(d.status) ? [...events, dreamEndEvent(d)] : events;
  }
  const view = importedEventMapper(found.session);
  const out: ApiEvent[] = [];
  for await (const e of readEvents(ctx.paths, found.session.id)) out.push(view(e));
  return out;
}

async function* streamImported(ctx: ServerContext, found: FoundSession & { kind: 'imported' }, signal: AbortSignal): AsyncGenerator<ApiEvent> {
  const view = importedEventMapper(found.session);
  for await (const e of readEvents(ctx.paths, found.session.id)) {
    if (signal.aborted) return;
    yield view(e);
  }
}

/**
 * /v1/sessions: retrieve, list, archive, delete; events list and stream; import. Imported
 * sessions and dreams' own sessions answer alike (session-view.ts says how they map).
 */
export function sessionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // Open streams end when the server closes, rather than holding its shutdown.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.get<SessionParams>('/v1/sessions/:session_id', async (req): Promise<BetaManagedAgentsSession> => sessionView(ctx, await findSession(ctx, req.params.session_id)));

  app.get('/v1/sessions', async (req): Promise<Page<BetaManagedAgentsSession>> => {
    const q = req.query as Query;
    const inRange = createdAtFilter(q);
    const statuses = list(q, 'statuses');
    const storeId = str(q, 'memory_store_id');
    const sessions = (await allSessionViews(ctx, bool(q, 'include_archived') ?? false)).filter(
      (s) =>
        inRange(s.created_at) &&
        (!statuses || statuses.includes(s.status)) &&
        (!storeId || s.resources.some((r) => r.type === 'memory_store' && r.memory_store_id === storeId)),
    );
    const dir = order(q) === 'asc' ? 1 : -1;
    sessions.sort((a, b) => dir * a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    return paginate(sessions, (s) => s.id, q);
  });

  app.post<SessionParams>('/v1/sessions/:session_id/archive', async (req): Promise<BetaManagedAgentsSession> => archiveSession(ctx, req.params.session_id));

  app.delete<SessionParams>('/v1/sessions/:session_id', async (req): Promise<BetaManagedAgentsDeletedSession> => deleteSession(ctx, req.params.session_id));

  app.get<SessionParams>('/v1/sessions/:session_id/events', async (req): Promise<Page<ApiEvent>> => {
    const q = req.query as Query;
    const found = await findSession(ctx, req.params.session_id);
    const inRange = createdAtFilter(q);
    const types = list(q, 'types');
    const events = (await eventsOf(ctx, found)).filter((e) => (!types || types.includes(e.type)) && (!e.processed_at || inRange(e.processed_at)));
    if (order(q) === 'desc') events.reverse();
    return paginate(events, (e) => e.id, q);
  });

  app.get<SessionParams>('/v1/sessions/:session_id/events/stream', async (req, reply) => {
    const found = await findSession(ctx, req.params.session_id);
    const source = (signal: AbortSignal) => (found.kind === 'dream' ? tailDream(ctx, found.dream, signal) : streamImported(ctx, found, signal));
    await sendSse(req, reply, source, closing.signal);
  });

  sessionImportRoute(app, ctx);
}
