import type { FastifyInstance } from 'fastify';
import type { BetaManagedAgentsMemoryVersion } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-versions';
import { assertId } from '../../core/ids.ts';
import type { ListVersionsParams } from '../../memory/version-query.ts';
import { parseView } from '../../memory/views.ts';
import { apiActor, type ServerContext } from '../context.ts';
import { paginate, viewLimit, type Page } from '../pagination.ts';
import { str, type Query } from '../query.ts';

interface StoreParams {
  Params: { store_id: string };
}
interface VersionParams {
  Params: { store_id: string; version_id: string };
}

/** The filters of MemoryVersionListParams, passed through as the SDK names them. */
const FILTERS = ['memory_id', 'operation', 'session_id', 'api_key_id', 'service_account_id', 'created_at[gte]', 'created_at[lte]'] as const;

function listParams(q: Query, view: 'basic' | 'full'): ListVersionsParams {
  const out: Record<string, string> = { view };
  for (const name of FILTERS) {
    const v = str(q, name);
    if (v !== undefined) out[name] = v;
  }
  // A memory id is checked like any other id; an unknown but well-formed one simply matches nothing.
  if (out.memory_id !== undefined) assertId('memory', out.memory_id, 'memory_id');
  return out as ListVersionsParams;
}

/** /v1/memory_stores/:store_id/memory_versions: list (newest first), retrieve, redact. */
export function memoryVersionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<StoreParams>('/v1/memory_stores/:store_id/memory_versions', async (req): Promise<Page<BetaManagedAgentsMemoryVersion>> => {
    const q = req.query as Query;
    const view = parseView(str(q, 'view'), 'basic');
    const versions = await ctx.stores.listVersions(req.params.store_id, listParams(q, view));
    return paginate(versions, (v) => v.id, { limit: viewLimit(str(q, 'limit'), view), page: str(q, 'page') });
  });

  app.get<VersionParams>('/v1/memory_stores/:store_id/memory_versions/:version_id', async (req): Promise<BetaManagedAgentsMemoryVersion> =>
    ctx.stores.getVersion(req.params.store_id, req.params.version_id, { view: parseView(str(req.query as Query, 'view'), 'full') }),
  );

  app.post<VersionParams>('/v1/memory_stores/:store_id/memory_versions/:version_id/redact', async (req): Promise<BetaManagedAgentsMemoryVersion> =>
    ctx.stores.redactVersion(req.params.store_id, req.params.version_id, apiActor(req.keyId)),
  );
}
