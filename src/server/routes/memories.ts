import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type {
  BetaManagedAgentsDeletedMemory,
  BetaManagedAgentsMemory,
  BetaManagedAgentsMemoryListItem,
} from '@anthropic-ai/sdk/resources/beta/memory-stores/memories';
import { parseView } from '../../memory/views.ts';
import { parseBody } from '../body.ts';
import { apiActor, type ServerContext } from '../context.ts';
import { paginate, viewLimit, type Page } from '../pagination.ts';
import { int, str, type Query } from '../query.ts';

// `content: null` is allowed by the SDK's MemoryCreateParams; it creates an empty memory.
const CreateMemory = z.strictObject({
  path: z.string(),
  content: z.string().nullable(),
});

const Precondition = z.strictObject({
  type: z.literal('content_sha256'),
  content_sha256: z.string().optional(),
});

const UpdateMemory = z.strictObject({
  path: z.string().nullable().optional(),
  content: z.string().nullable().optional(),
  precondition: Precondition.optional(),
});

interface StoreParams {
  Params: { store_id: string };
}
interface MemoryParams {
  Params: { store_id: string; memory_id: string };
}

/** `view` is a query parameter on every memory endpoint; each has its own default. */
function viewOf(q: Query, fallback: 'basic' | 'full'): 'basic' | 'full' {
  return parseView(str(q, 'view'), fallback);
}

/** /v1/memory_stores/:store_id/memories: create, retrieve, update, list, delete. */
export function memoryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<StoreParams>('/v1/memory_stores/:store_id/memories', async (req): Promise<BetaManagedAgentsMemory> => {
    const q = req.query as Query;
    const body = parseBody(CreateMemory, req.body);
    return ctx.stores.createMemory(req.params.store_id, { path: body.path, content: body.content ?? '', view: viewOf(q, 'basic') }, apiActor(req.keyId));
  });

  app.get<MemoryParams>('/v1/memory_stores/:store_id/memories/:memory_id', async (req): Promise<BetaManagedAgentsMemory> =>
    ctx.stores.getMemory(req.params.store_id, req.params.memory_id, { view: viewOf(req.query as Query, 'full') }),
  );

  app.post<MemoryParams>('/v1/memory_stores/:store_id/memories/:memory_id', async (req): Promise<BetaManagedAgentsMemory> => {
    const q = req.query as Query;
    const body = parseBody(UpdateMemory, req.body);
    return ctx.stores.updateMemory(
      req.params.store_id,
      req.params.memory_id,
      {
        ...(body.path == null ? {} : { path: body.path }),
        ...(body.content == null ? {} : { content: body.content }),
        ...(body.precondition === undefined ? {} : { precondition: body.precondition }),
        view: viewOf(q, 'basic'),
      },
      apiActor(req.keyId),
    );
  });

  app.get<StoreParams>('/v1/memory_stores/:store_id/memories', async (req): Promise<Page<BetaManagedAgentsMemoryListItem>> => {
    const q = req.query as Query;
    const view = viewOf(q, 'basic');
    const prefix = str(q, 'path_prefix');
    const depth = int(q, 'depth', 0, Number.MAX_SAFE_INTEGER);
    const items = await ctx.stores.listMemories(req.params.store_id, {
      view,
      ...(prefix === undefined ? {} : { path_prefix: prefix }),
      ...(depth === undefined ? {} : { depth }),
    });
    // A prefix item has no id; its path is unique in the list and stable across pages.
    return paginate(items, (m) => (m.type === 'memory' ? m.id : m.path), { limit: viewLimit(str(q, 'limit'), view), page: str(q, 'page') });
  });

  app.delete<MemoryParams>('/v1/memory_stores/:store_id/memories/:memory_id', async (req): Promise<BetaManagedAgentsDeletedMemory> => {
    const expected = str(req.query as Query, 'expected_content_sha256');
    return ctx.stores.deleteMemory(
      req.params.store_id,
      req.params.memory_id,
      expected === undefined ? {} : { expected_content_sha256: expected },
      apiActor(req.keyId),
    );
  });
}
