import { join, resolve } from 'node:path';
import { estimateDream } from '../../app/dry-run.ts';
import { Command, Option } from 'commander';
import { ExitCode } from '../../core/errors.ts';
import { runDreams, type RunRequest } from '../../app/run.ts';
import type { DreamRecord } from '../../dreams/schema.ts';
import { defaultWorkers } from '../../coordinator/pool.ts';
import { strategyNames } from '../../coordinator/strategies/registry.ts';
import { engineNames } from '../../engine/registry.ts';
import { openContext, type Context } from '../context.ts';
import { printJson, printLines } from '../output.ts';
import { positiveInt, textOrFile } from '../parse.ts';

/** The dream options shared by `run` and `create`. */
export function addDreamOptions(cmd: Command): Command {
  return cmd
    .option('--store <memstore_id>', 'input memory store (default: a new empty one)')
    .option('--instructions <text|@file>', 'instructions for the dream, 1–4,096 characters', textOrFile)
    .option('--rubric <file>', 'Markdown rubric the grader scores against (default: rubrics/default.md)')
    .addOption(new Option('--engine <name>', 'analysis engine').choices(engineNames()).default('local'))
    .option('--strategy <spec>', `batching (+ merge) strategy: ${strategyNames().join(', ')}, or a module path; e.g. similarity:batch-size=8+hierarchical:fan-in=4 (see dream strategies)`, 'fixed-count')
    .option('--batch-size <n>', 'sessions per batch (fixed-count)', positiveInt('--batch-size'))
    .option('--batch-bytes <n>', 'bytes per batch (byte-budget)', positiveInt('--batch-bytes'))
    .option('--workers <n>', 'worker threads (default: number of cores)', positiveInt('--workers'))
    .option('--max-iterations <n>', 'grader rounds before giving up, 1–20', positiveInt('--max-iterations'), 3)
    .addOption(new Option('--output-behavior <mode>', 'write a new store or update the input store').choices(['create_new', 'update_existing']).default('create_new'))
    .option('--max-sessions <n>', 'sessions per dream; more become a chain of dreams', positiveInt('--max-sessions'), 100)
    .option('--model <id>', 'claude engine: the model every agent uses (default: each agent\'s own)')
    .option('--agents <dir>', 'claude engine: agent definitions that add to or override agents/')
    .option('--record <dir>', 'claude engine: save every model request and response here')
    .option('--replay <dir>', 'claude engine: answer every model request from a --record directory (no network, no key)')
    .option('--concurrency <n>', 'claude engine: model calls in flight at once (worker threads)', positiveInt('--concurrency'))
    .option('--budget-tokens <n>', 'fail the dream (budget_exceeded) once it has used more model tokens than this', positiveInt('--budget-tokens'));
}

interface DreamOptions {
  store?: string;
  instructions?: string;
  rubric?: string;
  engine: string;
  strategy: string;
  batchSize?: number;
  batchBytes?: number;
  workers?: number;
  maxIterations: number;
  outputBehavior: 'create_new' | 'update_existing';
  maxSessions: number;
  model?: string;
  agents?: string;
  record?: string;
  replay?: string;
  concurrency?: number;
  budgetTokens?: number;
}

export function toRunRequest(inputs: string[], o: DreamOptions): RunRequest {
  const strategyOptions: Record<string, number> = {};
  if (o.batchSize !== undefined) strategyOptions['batch-size'] = o.batchSize;
  if (o.batchBytes !== undefined) strategyOptions['batch-bytes'] = o.batchBytes;
  return {
    inputs,
    ...(o.store ? { storeId: o.store } : {}),
    instructions: o.instructions ?? null,
    ...(o.rubric ? { rubricFile: o.rubric } : {}),
    engine: o.engine,
    strategy: o.strategy,
    strategyOptions,
    // For the claude engine, --concurrency bounds the calls in flight: one per worker thread.
    workers: o.concurrency ?? o.workers ?? defaultWorkers(),
    engineOptions: {
      ...(o.model ? { model: o.model } : {}),
      ...(o.agents ? { agentsDir: resolve(o.agents) } : {}),
      ...(o.record ? { record: resolve(o.record) } : {}),
      ...(o.replay ? { replay: resolve(o.replay) } : {}),
    },
    ...(o.budgetTokens ? { budgetTokens: o.budgetTokens } : {}),
    maxIterations: o.maxIterations,
    outputBehavior: o.outputBehavior,
    maxSessions: o.maxSessions,
  };
}

export function exitCodeFor(dream: DreamRecord): number {
  if (dream.status === 'completed') return ExitCode.ok;
  if (dream.status === 'canceled') return ExitCode.canceled;
  if (dream.error?.type === 'outcome_not_satisfied') return ExitCode.notSatisfied;
  return ExitCode.dreamFailed;
}

/** Human summary of a finished dream: where the store is and how to read it. */
export function describeResult(ctx: Context, dream: DreamRecord): string[] {
  const out = dream.outputs[0]?.memory_store_id;
  const lines = [`dream ${dream.id}: ${dream.status}`];
  if (dream.error) lines.push(`  error: ${dream.error.type}: ${dream.error.message}`);
  if (out) {
    lines.push(`  output store: ${out}`);
    lines.push(`  read it:      ${join(ctx.paths.store(out), 'tree')}`);
  }
  lines.push(`  report:       ${join(ctx.paths.dream(dream.id), 'report.md')}`);
  return lines;
}

export async function runWithProgress(ctx: Context, req: RunRequest): Promise<number> {
  const outcome = await runDreams(ctx.paths, req, {
    onImport: (r) => {
      ctx.log.info({ imported: r.imported.length, existing: r.existing.length, failed: r.failed.length, warnings: r.warnings.length }, 'sessions imported');
      ctx.progress.line(`imported ${r.imported.length} new session(s), ${r.existing.length} already known, ${r.failed.length} refused`);
      for (const f of r.failed) ctx.progress.line(`  refused ${f.path}: ${f.reason}`);
      for (const w of r.warnings.slice(0, 20)) ctx.progress.line(`  warning ${w.path}:${w.line}: ${w.message}`);
      if (r.warnings.length > 20) ctx.progress.line(`  … ${r.warnings.length - 20} more warnings`);
    },
    onDreamStart: (d, i, of) => {
      ctx.log.info({ dream: d.id, index: i + 1, of }, 'dream started');
      const ids = d.inputs.find((x) => x.type === 'sessions');
      const n = ids && ids.type === 'sessions' ? ids.session_ids.length : 0;
      ctx.progress.line(of > 1 ? `dream ${i + 1} of ${of} in a chain (${n} sessions): ${d.id}` : `dream ${d.id} over ${n} session(s)`);
    },
    onProgress: (p) => ctx.progress.update(`extracting: batch ${p.done}/${p.total} · ${p.findings} findings`),
    onPhase: (phase) => {
      if (phase !== 'extract') ctx.progress.line(`${phase}…`);
    },
    onEvaluation: (e) => {
      ctx.log.info({ iteration: e.iteration, result: e.result, gaps: e.gaps.length }, 'grader evaluation');
      ctx.progress.line(`grader iteration ${e.iteration}: ${e.result}`);
    },
  });
  for (const d of outcome.dreams) ctx.log.info({ dream: d.id, status: d.status, error: d.error }, 'dream finished');
  if (ctx.json) printJson(outcome.final);
  else printLines(outcome.dreams.flatMap((d) => describeResult(ctx, d)));
  return exitCodeFor(outcome.final);
}

export function runCommand(): Command {
  const cmd = new Command('run')
    .description('Import session files (paths or globs) and dream over them: a new graded memory store')
    .argument('<inputs...>', 'transcript and log files, directories or globs (quote globs)');
  addDreamOptions(cmd)
    .option('--dry-run', 'claude engine: print the estimated tokens and cost, send nothing, run no dream')
    .action(async (inputs: string[], opts: DreamOptions & { dryRun?: boolean }, self: Command) => {
      const ctx = await openContext(self);
      if (opts.dryRun) {
        const est = await estimateDream(ctx.paths, inputs, { ...(opts.model ? { model: opts.model } : {}), ...(opts.agents ? { agentsDir: resolve(opts.agents) } : {}), instructions: opts.instructions ?? null });
        if (ctx.json) printJson(est);
        else
          printLines([
            `dry run for ${est.model}: ${est.sessions} session(s), ${est.calls} extractor call(s)`,
            `  input tokens: ${est.input_tokens} uncached, ${est.cache_creation_input_tokens} cache writes, ${est.cache_read_input_tokens} cache reads`,
            `  output tokens: about ${est.output_tokens}`,
            `  cost: ${est.estimated_cost_usd === null ? 'no price known for this model' : `about $${est.estimated_cost_usd.toFixed(2)} at list prices`}`,
            `  (${est.note})`,
          ]);
        return;
      }
      process.exitCode = await runWithProgress(ctx, toRunRequest(inputs, opts));
    });
  return cmd;
}
