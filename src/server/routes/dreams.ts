import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BetaDream, BetaDreamStatus } from '@anthropic-ai/sdk/resources/beta/dreams';
import { buildRunConfig, type RunRequest } from '../../app/run.ts';
import { InvalidInputError, isDreamworkError } from '../../core/errors.ts';
import { DEFAULT_MAX_SESSIONS } from '../../dreams/validate.ts';
import { FINAL_STATES } from '../../dreams/lifecycle.ts';
import { claudeConfig } from '../../llm/config.ts';
import { parseBody } from '../body.ts';
import type { ServerContext } from '../context.ts';
import type { DreamRunner } from '../dream-runner.ts';
import { paginate, type Page } from '../pagination.ts';
import { bool, createdAtFilter, list, type Query } from '../query.ts';

const Input = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('memory_store'), memory_store_id: z.string() }),
  z.strictObject({ type: z.literal('sessions'), session_ids: z.array(z.string()) }),
]);

const CreateDream = z.strictObject({
  inputs: z.array(Input),
  model: z.union([z.string().min(1), z.strictObject({ id: z.string().min(1), speed: z.enum(['standard', 'fast']).nullable().optional() })]),
  instructions: z.string().nullable().optional(),
  output_behavior: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('create_new') }),
      z.strictObject({ type: z.literal('update_existing'), memory_store_id: z.string() }),
    ])
    .optional(),
});

const STATUSES: readonly BetaDreamStatus[] = ['pending', 'running', ...FINAL_STATES];

/** Model ids that run the embedded deterministic engine; `claude-…` ids run the claude engine. */
export const LOCAL_MODELS: readonly string[] = ['local'];

/** Server-wide settings a dream created over HTTP runs with (the API has no field for them). */
export type DreamDefaults = Pick<RunRequest, 'strategy' | 'strategyOptions' | 'maxIterations' | 'rubricFile'>;

interface DreamParams {
  Params: { dream_id: string };
}

/** The engine a model id picks, with the settings it needs; a claude model without a key is refused now. */
function engineFor(modelId: string, env: NodeJS.ProcessEnv): Pick<RunRequest, 'engine' | 'engineOptions'> {
  if (LOCAL_MODELS.includes(modelId)) return { engine: 'local' };
  if (!modelId.startsWith('claude-')) {
    throw new InvalidInputError(
      'unknown_model',
      `model: ${JSON.stringify(modelId)} is not a model this server runs; use "local" (the embedded engine) or a claude-… model id`,
      { field: 'model' },
    );
  }
  try {
    claudeConfig(env);
  } catch (e) {
    throw missingKey(e);
  }
  return { engine: 'claude', engineOptions: { model: modelId } };
}

/** The server lacks a key: a 400 on the request (the caller's own key is fine, so not a 401). */
function missingKey(e: unknown): unknown {
  if (!isDreamworkError(e) || e.code !== 'missing_api_key') return e;
  return new InvalidInputError(
    'missing_api_key',
    'model: a claude-… model runs the claude engine, and this server has no ANTHROPIC_API_KEY; start dream serve with ANTHROPIC_API_KEY set (and ANTHROPIC_BASE_URL for a proxy), or use model "local"',
    { field: 'model' },
  );
}

/** What a create names, checked beyond the schema: one store, one list of sessions. */
function inputsOf(body: z.infer<typeof CreateDream>): { storeId: string; sessionIds: string[] } {
  const stores = body.inputs.filter((i) => i.type === 'memory_store');
  const sessions = body.inputs.filter((i) => i.type === 'sessions');
  if (stores.length !== 1) throw new InvalidInputError('invalid_inputs', `inputs: exactly one memory_store input is required, got ${stores.length}`, { field: 'inputs' });
  if (sessions.length !== 1) throw new InvalidInputError('invalid_inputs', `inputs: exactly one sessions input is required, got ${sessions.length}`, { field: 'inputs' });
  const storeId = stores[0]!.memory_store_id;
  const ob = body.output_behavior;
  if (ob?.type === 'update_existing' && ob.memory_store_id !== storeId) {
    throw new InvalidInputError(
      'invalid_inputs',
      `output_behavior.memory_store_id: update_existing must name the input store ${storeId}, got ${ob.memory_store_id}`,
      { field: 'output_behavior.memory_store_id' },
    );
  }
  return { storeId, sessionIds: sessions[0]!.session_ids };
}

/** /v1/dreams: create (queued on the runner), retrieve, list, cancel, archive. */
export function dreamRoutes(runner: DreamRunner, defaults: DreamDefaults = {}): (app: FastifyInstance, ctx: ServerContext) => void {
  return (app, ctx) => {
    app.post('/v1/dreams', async (req): Promise<BetaDream> => {
      const body = parseBody(CreateDream, req.body);
      const { storeId, sessionIds } = inputsOf(body);
      const model = typeof body.model === 'string' ? { id: body.model } : body.model;
      const engine = engineFor(model.id, runner.env);
      const config = await buildRunConfig({ inputs: [], ...defaults, ...engine, workers: runner.workers }).catch((e: unknown) => {
        throw missingKey(e);
      });
      const release = runner.reserve();
      try {
        let dream = await ctx.dreams.create({
          memory_store_id: storeId,
          session_ids: sessionIds,
          instructions: body.instructions ?? null,
          model: model.id,
          output_behavior: body.output_behavior?.type ?? 'create_new',
          config,
          max_sessions: DEFAULT_MAX_SESSIONS,
        });
        if (model.speed) dream = await ctx.dreams.update(dream.id, (d) => ({ ...d, model: { id: model.id, speed: model.speed! } }));
        await runner.enqueue(dream.id, release);
        return dream;
      } finally {
        release();
      }
    });

    app.get<DreamParams>('/v1/dreams/:dream_id', async (req): Promise<BetaDream> => ctx.dreams.get(req.params.dream_id));

    app.get('/v1/dreams', async (req): Promise<Page<BetaDream>> => {
      const q = req.query as Query;
      const statuses = list(q, 'statuses');
      for (const s of statuses ?? []) {
        if (!STATUSES.includes(s as BetaDreamStatus)) {
          throw new InvalidInputError('invalid_query', `query parameter statuses: ${JSON.stringify(s)} is not one of ${STATUSES.join(', ')}`);
        }
      }
      const inRange = createdAtFilter(q);
      const dreams = await ctx.dreams.list({
        include_archived: bool(q, 'include_archived') ?? false,
        ...(statuses ? { statuses: statuses as BetaDreamStatus[] } : {}),
      });
      // DreamRepo lists newest first, as the API does.
      return paginate(
        dreams.filter((d) => inRange(d.created_at)),
        (d) => d.id,
        q,
      );
    });

    app.post<DreamParams>('/v1/dreams/:dream_id/cancel', async (req): Promise<BetaDream> => {
      const d = await ctx.dreams.get(req.params.dream_id);
      // The output store is recorded just before the write starts; a cancel from then on would
      // leave a store written by a dream that says canceled, so it is refused instead.
      if (d.status === 'running' && d.outputs.length > 0) {
        throw new InvalidInputError('dream_writing', `dream ${d.id} is writing its output store ${d.outputs[0]!.memory_store_id}; it can no longer be canceled`);
      }
      return ctx.dreams.cancel(d.id);
    });

    app.post<DreamParams>('/v1/dreams/:dream_id/archive', async (req): Promise<BetaDream> => ctx.dreams.archive(req.params.dream_id));
  };
}
