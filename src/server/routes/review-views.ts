import type { FastifyInstance } from 'fastify';
import { assertId } from '../../core/ids.ts';
import { listDreamSummaries, type DreamSummary } from '../../review/dream-progress.ts';
import { batchFindings, dreamDetail, type DreamDetail } from '../../review/dream-detail.ts';
import { dreamDiff, type DreamDiff } from '../../review/dream-diff.ts';
import { MAX_WINDOW, sessionLines, type SessionLines } from '../../review/session-lines.ts';
import { reviewPageRoutes } from '../../review/static-routes.ts';
import type { BatchFindings } from '../../engine/findings.ts';
import type { ServerContext } from '../context.ts';
import { bool, int, str, type Query } from '../query.ts';

interface DreamParams {
  Params: { dream_id: string };
}
interface BatchParams {
  Params: { dream_id: string; batch_id: string };
}
interface SessionParams {
  Params: { session_id: string };
}

const MAX_LINE = 2 ** 31;

/**
 * The review page (GET /review/) and the read-only views it needs under /v1/review/, behind the
 * same key and rate limits as the rest of /v1: aggregates of a dream's folder, the diff of its
 * output against its input, and the session lines a piece of evidence cites. The actions
 * (approve, promote, rollback) live in routes/review.ts.
 */
export function reviewViewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  reviewPageRoutes(app);

  app.get('/v1/review/dreams', async (req): Promise<{ data: DreamSummary[] }> => {
    const q = req.query as Query;
    return { data: await listDreamSummaries(ctx.dreams, { include_archived: bool(q, 'include_archived') ?? false }) };
  });

  app.get<DreamParams>('/v1/review/dreams/:dream_id', async (req): Promise<DreamDetail> =>
    dreamDetail(ctx.paths, ctx.dreams, ctx.stores, assertId('dream', req.params.dream_id)),
  );

  app.get<BatchParams>('/v1/review/dreams/:dream_id/batches/:batch_id', async (req): Promise<BatchFindings> =>
    batchFindings(ctx.dreams, assertId('dream', req.params.dream_id), req.params.batch_id),
  );

  app.get<DreamParams>('/v1/review/dreams/:dream_id/diff', async (req): Promise<DreamDiff> =>
    dreamDiff(ctx.paths, ctx.dreams, ctx.stores, assertId('dream', req.params.dream_id)),
  );

  app.get<SessionParams>('/v1/review/sessions/:session_id/lines', async (req): Promise<SessionLines> => {
    const q = req.query as Query;
    const start = int(q, 'start', 1, MAX_LINE);
    const end = int(q, 'end', 1, MAX_LINE);
    const context = int(q, 'context', 0, MAX_WINDOW);
    const event = str(q, 'event');
    return sessionLines(ctx.paths, assertId('session', req.params.session_id), {
      ...(start === undefined ? {} : { start }),
      ...(end === undefined ? {} : { end }),
      ...(context === undefined ? {} : { context }),
      ...(event === undefined ? {} : { event: assertId('event', event, 'event') }),
    });
  });
}
