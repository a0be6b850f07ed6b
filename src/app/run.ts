import { InvalidInputError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord, RunConfig } from '../dreams/schema.ts';
import { DEFAULT_MAX_SESSIONS } from '../dreams/validate.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { importSessions, type ImportReport } from '../sessions/import.ts';
import { runDream, type RunHooks } from '../coordinator/run-dream.ts';
import { TaskPool, usePool } from '../coordinator/pool.ts';
import { resolveStrategy, strategyOptions } from '../coordinator/strategies/registry.ts';
import { createEngine, type EngineOptions } from '../engine/registry.ts';
import { DEFAULT_CLAUDE_MODEL } from '../llm/config.ts';
import { loadAgentsWithOverrides } from '../outcomes/agents.ts';
import { parseRubric } from '../outcomes/rubric.ts';
import { loadRubric } from './rubric.ts';

export interface RunRequest {
  inputs: string[];
  storeId?: string;
  instructions?: string | null;
  rubricFile?: string;
  engine?: string;
  strategy?: string;
  strategyOptions?: Record<string, number>;
  workers: number;
  maxIterations?: number;
  outputBehavior?: 'create_new' | 'update_existing';
  maxSessions?: number;
  /** Claude engine settings: model, record/replay directories, an agents directory. */
  engineOptions?: EngineOptions;
  /** Fail the dream with budget_exceeded once it has used more model tokens than this. */
  budgetTokens?: number;
}

export interface RunOutcome {
  imported: ImportReport;
  dreams: DreamRecord[];
  final: DreamRecord;
}

export interface AppHooks extends RunHooks {
  onImport?: (r: ImportReport) => void;
  onDreamStart?: (d: DreamRecord, index: number, of: number) => void;
}

/** Validate everything that can be checked before any work starts, then freeze it. */
export async function buildRunConfig(req: RunRequest): Promise<RunConfig> {
  const maxIterations = req.maxIterations ?? 3;
  if (!Number.isInteger(maxIterations) || maxIterations < 1 || maxIterations > 20) {
    throw new InvalidInputError('invalid_max_iterations', `--max-iterations: must be an integer from 1 to 20, got ${req.maxIterations}`);
  }
  if (!Number.isInteger(req.workers) || req.workers < 1) {
    throw new InvalidInputError('invalid_workers', `--workers: must be a positive integer, got ${req.workers}`);
  }
  // Creating the engine checks its configuration now (a missing API key), before any work.
  const engineOptions = req.engineOptions ?? {};
  const engine = createEngine(req.engine ?? 'local', engineOptions);
  // A bad agent file (--agents) is refused now, naming the file and field, not mid-dream.
  if (engine.name === 'claude') await loadAgentsWithOverrides(engineOptions.agentsDir);
  const strategy = await resolveStrategy(req.strategy ?? 'fixed-count');
  const rubric = await loadRubric(req.rubricFile);
  parseRubric(rubric.text, rubric.source); // refuse a rubric with no criteria before any work
  return Object.freeze({
    engine: engine.name,
    strategy: strategy.name,
    strategy_options: strategyOptions(strategy, req.strategyOptions ?? {}),
    workers: req.workers,
    max_iterations: maxIterations,
    rubric,
    engine_options: engine.name === 'local' ? {} : engineOptions,
    budget_tokens: req.budgetTokens ?? null,
  });
}

/**
 * `dream run`: import the inputs, then dream over them. More sessions than the per-dream cap
 * become a chain of dreams, each reading the previous one's output store. One pool of task
 * threads serves the import and every dream of the chain: starting a thread costs about as much
 * as extracting a log, so threads are started once per run, not once per phase.
 */
export async function runDreams(paths: RootPaths, req: RunRequest, hooks: AppHooks = {}): Promise<RunOutcome> {
  const config = await buildRunConfig(req);
  if (req.storeId) await new MemoryStoreRepo(paths).getStore(req.storeId);
  const pool = TaskPool.create(req.workers);
  try {
    const imported = await importSessions(paths, req.inputs, { workers: req.workers, pool });
    hooks.onImport?.(imported);
    const sessionIds = [...new Set([...imported.imported, ...imported.existing].map((s) => s.id))];
    if (sessionIds.length === 0) {
      throw new InvalidInputError('no_sessions', `no session could be imported from: ${req.inputs.join(' ')}`);
    }
    const dreams = await dreamOverSessions(paths, sessionIds, req, config, hooks, pool);
    return { imported, dreams, final: dreams[dreams.length - 1]! };
  } finally {
    await pool.destroy();
  }
}

/** Dream over sessions already imported, chaining dreams past the per-dream cap. */
export async function dreamOverSessions(
  paths: RootPaths,
  sessionIds: string[],
  req: Omit<RunRequest, 'inputs'>,
  config: RunConfig,
  hooks: AppHooks = {},
  shared?: TaskPool,
): Promise<DreamRecord[]> {
  return usePool(shared, config.workers, (pool) => dreamChain(paths, sessionIds, req, config, hooks, pool));
}

async function dreamChain(
  paths: RootPaths,
  sessionIds: string[],
  req: Omit<RunRequest, 'inputs'>,
  config: RunConfig,
  hooks: AppHooks,
  pool: TaskPool,
): Promise<DreamRecord[]> {
  const stores = new MemoryStoreRepo(paths);
  const repo = new DreamRepo(paths);
  const cap = req.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const chunks: string[][] = [];
  for (let i = 0; i < sessionIds.length; i += cap) chunks.push(sessionIds.slice(i, i + cap));
  if (chunks.length === 0) chunks.push([]); // let validation name the problem
  let storeId =
    req.storeId ?? (await stores.createStore({ name: 'dream input', description: 'Empty input store created by dream run' })).id;
  const dreams: DreamRecord[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const created = await repo.create({
      memory_store_id: storeId,
      session_ids: chunk,
      instructions: req.instructions ?? null,
      model: config.engine === 'local' ? 'local' : (config.engine_options.model ?? DEFAULT_CLAUDE_MODEL),
      output_behavior: req.outputBehavior ?? 'create_new',
      config,
      max_sessions: cap,
    });
    await repo.setOwner(created.id);
    hooks.onDreamStart?.(created, i, chunks.length);
    const done = await runDream(paths, created.id, hooks, pool);
    dreams.push(done);
    if (done.status !== 'completed') break;
    storeId = done.outputs[0]?.memory_store_id ?? storeId;
  }
  return dreams;
}
