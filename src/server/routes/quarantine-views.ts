import type { FastifyInstance } from 'fastify';
import { assertId } from '../../core/ids.ts';
import { QuarantineRepo, type QuarantineEntry } from '../../screening/quarantine.ts';
import type { ServerContext } from '../context.ts';
import { paginate, type Page } from '../pagination.ts';
import { str, type Query } from '../query.ts';

interface EntryParams {
  Params: { quarantine_id: string };
}

/** Newest first; entries written at the same instant (one dream's batch) stay in path order. */
function newestFirst(entries: QuarantineEntry[]): QuarantineEntry[] {
  return [...entries].sort((a, b) =>
    a.created_at !== b.created_at ? (a.created_at < b.created_at ? 1 : -1) : a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
}

/**
 * The quarantine for the review page, read-only, behind the same key as the rest of /v1: memory
 * writes screening refused, with their flags, redacted content, source and cited evidence. The
 * content is hostile by definition; it goes out as JSON strings and the page shows it as text.
 */
export function quarantineViewRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const repo = new QuarantineRepo(ctx.paths);

  app.get('/v1/review/quarantine', async (req): Promise<Page<QuarantineEntry>> => {
    const q = req.query as Query;
    const dream = str(q, 'dream_id');
    const store = str(q, 'memory_store_id');
    const entries = await repo.list({
      ...(dream === undefined ? {} : { dream: assertId('dream', dream) }),
      ...(store === undefined ? {} : { store: assertId('store', store, 'memory_store_id') }),
    });
    return paginate(newestFirst(entries), (e) => e.id, { limit: str(q, 'limit'), page: str(q, 'page') });
  });

  app.get<EntryParams>('/v1/review/quarantine/:quarantine_id', async (req): Promise<QuarantineEntry> =>
    repo.get(req.params.quarantine_id),
  );
}
