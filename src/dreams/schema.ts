import { z } from 'zod';

/** The dream object exactly as the API returns it (BetaDream in the SDK). */
export const DreamRecord = z.object({
  id: z.string(),
  type: z.literal('dream'),
  archived_at: z.string().nullable(),
  created_at: z.string(),
  ended_at: z.string().nullable(),
  error: z.object({ type: z.string(), message: z.string() }).nullable(),
  inputs: z.array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('memory_store'), memory_store_id: z.string() }),
      z.object({ type: z.literal('sessions'), session_ids: z.array(z.string()) }),
    ]),
  ),
  instructions: z.string().nullable(),
  model: z.object({ id: z.string(), speed: z.enum(['standard', 'fast']).optional() }),
  output_behavior: z.discriminatedUnion('type', [
    z.object({ type: z.literal('create_new') }),
    z.object({ type: z.literal('update_existing'), memory_store_id: z.string() }),
  ]),
  outputs: z.array(z.object({ type: z.literal('memory_store'), memory_store_id: z.string() })),
  session_id: z.string().nullable(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'canceled']),
  usage: z.object({
    cache_creation_input_tokens: z.number(),
    cache_read_input_tokens: z.number(),
    input_tokens: z.number(),
    output_tokens: z.number(),
  }),
});
export type DreamRecord = z.infer<typeof DreamRecord>;

/** How a dream runs: fixed at creation, kept beside the dream (never part of the API object). */
export const RunConfig = z.object({
  engine: z.string(),
  strategy: z.string(),
  strategy_options: z.record(z.string(), z.number()),
  workers: z.number().int().positive(),
  max_iterations: z.number().int().min(1).max(20),
  rubric: z.object({ source: z.string(), text: z.string() }),
  /** Engine settings (model, record/replay dirs, agents dir); empty for the local engine. */
  engine_options: z
    .object({ model: z.string().optional(), record: z.string().optional(), replay: z.string().optional(), agentsDir: z.string().optional() })
    .default({}),
  /** Stop the dream, failed with budget_exceeded, once it has used more tokens than this. */
  budget_tokens: z.number().int().positive().nullable().default(null),
});
export type RunConfig = z.infer<typeof RunConfig>;

/** Who is running the dream right now, so a killed run can be detected and resumed. */
export const RunOwner = z.object({ pid: z.number().int(), host: z.string(), started_at: z.string() });
export type RunOwner = z.infer<typeof RunOwner>;

export const Batch = z.object({ id: z.string(), session_ids: z.array(z.string()).min(1) });
export type Batch = z.infer<typeof Batch>;

export const Plan = z.object({ strategy: z.string(), batches: z.array(Batch) });
export type Plan = z.infer<typeof Plan>;
