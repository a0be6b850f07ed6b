import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type {
  BetaManagedAgentsDeletedMemoryStore,
  BetaManagedAgentsMemoryStore,
} from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-stores';
import { parseBody } from '../body.ts';
import type { ServerContext } from '../context.ts';
import { paginate, type Page } from '../pagination.ts';
import { bool, createdAtFilter, type Query } from '../query.ts';

const CreateStore = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

const UpdateStore = z.strictObject({
  name: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string().nullable()).nullable().optional(),
});

interface StoreParams {
  Params: { store_id: string };
}

/** /v1/memory_stores: create, retrieve, update, list, archive, delete. */
export function memoryStoreRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1/memory_stores', async (req): Promise<BetaManagedAgentsMemoryStore> => {
    const body = parseBody(CreateStore, req.body);
    return ctx.stores.createStore({
      name: body.name,
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
    });
  });

  app.get<StoreParams>('/v1/memory_stores/:store_id', async (req): Promise<BetaManagedAgentsMemoryStore> => ctx.stores.getStore(req.params.store_id));

  app.post<StoreParams>('/v1/memory_stores/:store_id', async (req): Promise<BetaManagedAgentsMemoryStore> => {
    const body = parseBody(UpdateStore, req.body);
    return ctx.stores.updateStore(req.params.store_id, body);
  });

  app.get('/v1/memory_stores', async (req): Promise<Page<BetaManagedAgentsMemoryStore>> => {
    const q = req.query as Query;
    const inRange = createdAtFilter(q);
    const stores = (await ctx.stores.listStores({ include_archived: bool(q, 'include_archived') ?? false })).filter((s) => inRange(s.created_at));
    return paginate(stores, (s) => s.id, q);
  });

  app.post<StoreParams>('/v1/memory_stores/:store_id/archive', async (req): Promise<BetaManagedAgentsMemoryStore> =>
    ctx.stores.archiveStore(req.params.store_id),
  );

  app.delete<StoreParams>('/v1/memory_stores/:store_id', async (req): Promise<BetaManagedAgentsDeletedMemoryStore> =>
    ctx.stores.deleteStore(req.params.store_id),
  );
}
