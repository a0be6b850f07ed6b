import { Command, Option } from 'commander';
import { builtInStrategies, mergingStrategies } from '../../coordinator/strategies/registry.ts';
import { defaultWorkers } from '../../coordinator/pool.ts';
import { compareRequest } from '../../compare/request.ts';
import { runCompare } from '../../compare/run-compare.ts';
import { openContext } from '../context.ts';
import { printJson, printLines } from '../output.ts';
import { positiveInt } from '../parse.ts';
import { InvalidInputError } from '../../core/errors.ts';

function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidInputError('invalid_option', `${name}: expected a non-negative integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Every strategy with its paragraph: `dream strategies` and `dream compare --list`. */
function strategyListing(): { batching: { name: string; options: Record<string, number>; description: string }[]; merging: { name: string; options: Record<string, number>; description: string }[] } {
  const view = (s: { name: string; defaults: Readonly<Record<string, number>>; description: string }) => ({ name: s.name, options: { ...s.defaults }, description: s.description });
  return { batching: builtInStrategies().map(view), merging: mergingStrategies().map(view) };
}

function printListing(json: boolean): void {
  const l = strategyListing();
  if (json) return printJson(l);
  const opts = (o: Record<string, number>) => (Object.keys(o).length ? ` (${Object.entries(o).map(([k, v]) => `${k}=${v}`).join(', ')})` : '');
  printLines([
    'Batching strategies:',
    ...l.batching.flatMap((s) => [`  ${s.name}${opts(s.options)}`, `    ${s.description}`]),
    '',
    'Merge strategies (after +):',
    ...l.merging.flatMap((s) => [`  ${s.name}${opts(s.options)}`, `    ${s.description}`]),
    '',
    'Spec: batching[:key=value,…][+merging[:key=value,…]], e.g. similarity:batch-size=8+hierarchical:fan-in=4;',
    'a module path (./my-strategy.ts) names your own batching strategy (docs/strategies.md).',
  ]);
}

export function strategiesCommand(): Command {
  return new Command('strategies').description('List batching and merge strategies, with their options and what each does').action((_o, self: Command) => {
    printListing(Boolean(self.optsWithGlobals<{ json?: boolean }>().json));
  });
}

interface CompareOptions {
  strategies?: string[];
  sessions?: string[];
  store?: string;
  engine: string;
  replay?: string;
  repeat: number;
  seed: number;
  workers?: number;
  maxSessions: number;
  out?: string;
  list?: boolean;
}

export function compareCommand(): Command {
  return new Command('compare')
    .description('Run several strategies on the same sessions and report quality, cost, time, memory and order sensitivity (docs/compare.md)')
    .option('--strategies <specs...>', 'comma-separated strategy specs, e.g. fixed-count,similarity+hierarchical:fan-in=4,one-batch')
    .option('--sessions <inputs...>', 'session files, directories or globs (quote globs)')
    .option('--store <memstore_id>', 'input memory store shared by every run (default: a new empty one)')
    .addOption(new Option('--engine <name>', 'analysis engine').choices(['local', 'claude']).default('local'))
    .option('--replay <dir>', 'claude engine: answer model calls from a --record directory')
    .option('--repeat <n>', 'seeded shuffles of the session order per strategy (order sensitivity)', nonNegativeInt('--repeat'), 1)
    .option('--seed <n>', 'seed of every random choice (shuffles)', nonNegativeInt('--seed'), 1)
    .option('--workers <n>', 'worker threads per run (default: number of cores)', positiveInt('--workers'))
    .option('--max-sessions <n>', 'sessions per dream; more become a chain of dreams, as in dream run', positiveInt('--max-sessions'), 100)
    .option('--out <dir>', 'output directory (default: <root>/experiments/<id>)')
    .option('--list', 'list the strategies and exit')
    .action(async (o: CompareOptions, self: Command) => {
      const ctx = await openContext(self);
      if (o.list) return printListing(ctx.json);
      if (!o.strategies) throw new InvalidInputError('invalid_compare', '--strategies is required (dream compare --list shows them)');
      const req = compareRequest({
        strategies: o.strategies,
        sessions: o.sessions ?? [],
        storeId: o.store ?? null,
        engine: o.engine,
        replay: o.replay ?? null,
        repeat: o.repeat,
        seed: o.seed,
        workers: o.workers ?? defaultWorkers(),
        maxSessions: o.maxSessions,
        out: o.out ?? null,
        argv: ['dream', ...process.argv.slice(2)],
      });
      const { dir, results } = await runCompare(ctx.paths, req, { onLine: (l) => ctx.progress.line(l) });
      if (ctx.json) return printJson({ dir, ...results });
      printLines([`results: ${dir}/results.md (also .csv, .json, chart.svg, experiment.json)`]);
    });
}
