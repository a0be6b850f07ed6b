import { z } from 'zod';
import { InvalidInputError } from '../core/errors.ts';
import { defaultWorkers } from '../coordinator/pool.ts';
import { buildWatchConfig, type WatchConfig } from './config.ts';

/**
 * A watch described as data (a JSON or YAML object), for `dream serve` with a watch config and
 * for programs: the CLI's options with snake_case names. Paths are relative to the caller's
 * working directory; every field but `dirs` has the CLI's default.
 */
export const WatchConfigSpec = z
  .object({
    name: z.string().optional(),
    dirs: z.array(z.string()).min(1),
    glob: z.string().optional(),
    every: z.number().optional(),
    after_minutes: z.number().optional(),
    after_seconds: z.number().optional(),
    settle_ms: z.number().optional(),
    store: z.string().optional(),
    output_behavior: z.enum(['create_new', 'update_existing']).optional(),
    engine: z.string().optional(),
    strategy: z.string().optional(),
    instructions: z.string().optional(),
    rubric: z.string().optional(),
    workers: z.number().int().positive().optional(),
    max_iterations: z.number().int().optional(),
    max_sessions: z.number().int().positive().optional(),
  })
  .strict();
export type WatchConfigSpec = z.infer<typeof WatchConfigSpec>;

/** Validate a watch spec; an error names `source` and the field at fault. */
export async function watchConfigFromSpec(raw: unknown, source: string): Promise<Readonly<WatchConfig>> {
  const parsed = WatchConfigSpec.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(
      'invalid_watch_config',
      `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const s = parsed.data;
  const afterMs =
    s.after_seconds !== undefined
      ? s.after_seconds * 1000
      : s.after_minutes !== undefined
        ? s.after_minutes * 60_000
        : undefined;
  return buildWatchConfig({
    dirs: s.dirs,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.glob !== undefined ? { glob: s.glob } : {}),
    ...(s.every !== undefined ? { every: s.every } : {}),
    ...(afterMs !== undefined ? { afterMs } : {}),
    ...(s.settle_ms !== undefined ? { settleMs: s.settle_ms } : {}),
    request: {
      workers: s.workers ?? defaultWorkers(),
      instructions: s.instructions ?? null,
      ...(s.store !== undefined ? { storeId: s.store } : {}),
      ...(s.output_behavior !== undefined ? { outputBehavior: s.output_behavior } : {}),
      ...(s.engine !== undefined ? { engine: s.engine } : {}),
      ...(s.strategy !== undefined ? { strategy: s.strategy } : {}),
      ...(s.rubric !== undefined ? { rubricFile: s.rubric } : {}),
      ...(s.max_iterations !== undefined ? { maxIterations: s.max_iterations } : {}),
      ...(s.max_sessions !== undefined ? { maxSessions: s.max_sessions } : {}),
    },
  });
}
