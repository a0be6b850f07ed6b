import { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.ts';
import { resolveRoot } from '../../core/root.ts';
import { startServer } from '../../server/serve.ts';
import { DEFAULT_MAX_QUEUED, DreamRunner } from '../../server/dream-runner.ts';
import { dreamRoutes } from '../../server/routes/dreams.ts';
import { defaultWorkers } from '../../coordinator/pool.ts';
import { keyFile } from '../../server/auth.ts';
import { loadWatchSpecs, WatchService } from '../../server/watch-service.ts';
import type { ServerService } from '../../server/serve.ts';
import { createLogger } from '../logger.ts';
import { positiveInt } from '../parse.ts';
import { printJson } from '../output.ts';

function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidInputError('invalid_option', `${name}: expected a non-negative integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidInputError('invalid_option', `--port: expected an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the Dreams, Memory Stores and Sessions API under /v1 (the official SDK works with baseURL)')
    .option('--host <host>', 'address to bind (loopback unless told otherwise)', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', portNumber, 4319)
    .option('--creates-per-minute <n>', 'rate limit per key for requests that change something', positiveInt('--creates-per-minute'), 300)
    .option('--reads-per-minute <n>', 'rate limit per key for reads', positiveInt('--reads-per-minute'), 600)
    .option('--concurrency <n>', 'dreams run at once (each uses every task thread)', positiveInt('--concurrency'), 1)
    .option('--queue <n>', 'dreams waiting to run; past this, creating one answers 429', nonNegativeInt('--queue'), DEFAULT_MAX_QUEUED)
    .option('--workers <n>', 'task threads shared by the dreams (default: the number of cores)', positiveInt('--workers'))
    .option('--watch-config <file>', 'also watch directories and dream as sessions arrive (JSON or YAML: one watch or a list; see docs/watch.md)')
    .addHelpText(
      'after',
      `
API keys: DREAM_API_KEYS (comma-separated) or <root>/server/api-keys.txt; when neither is set a
key is generated on first start, stored owner-only in that file and printed once.

Example:
  dream serve --port 4319
  dream serve --watch-config watch.yaml   # watch.yaml: { dirs: [ci-logs], store: memstore_…, every: 20 }
  # then, with the official SDK:
  #   new Anthropic({ baseURL: 'http://127.0.0.1:4319', apiKey: '<key>' }).beta.memoryStores.list()`,
    )
    .action(async (o: { host: string; port: number; createsPerMinute: number; readsPerMinute: number; concurrency: number; queue: number; workers?: number; watchConfig?: string }, self: Command) => {
      const g = self.optsWithGlobals<{ root?: string; json?: boolean; verbose?: boolean }>();
      const paths = resolveRoot(g.root);
      const logger = createLogger(g.verbose);
      // Dreams created over HTTP run in this process; ones a previous run left are resumed on start.
      const runner = new DreamRunner({ concurrency: o.concurrency, maxQueued: o.queue, workers: o.workers ?? defaultWorkers(), logger });
      const services: ServerService[] = [runner];
      if (o.watchConfig) {
        const specs = await loadWatchSpecs(o.watchConfig);
        services.push(new WatchService(paths, specs.map((spec, i) => ({ spec, source: `${o.watchConfig}${specs.length > 1 ? `[${i}]` : ''}` })), logger));
      }
      const server = await startServer({
        paths,
        host: o.host,
        port: o.port,
        rateLimits: { createsPerMinute: o.createsPerMinute, readsPerMinute: o.readsPerMinute },
        logger,
        routes: [dreamRoutes(runner)],
        services,
      });
      if (g.json) printJson({ url: server.url, root: paths.root, ...(server.generatedKey ? { generated_api_key: server.generatedKey } : {}) });
      else {
        process.stderr.write(`dream serve: listening on ${server.url}/v1 (root ${paths.root})\n`);
        if (server.generatedKey) {
          process.stderr.write(`dream serve: generated API key (shown once, stored in ${keyFile(paths)}):\n${server.generatedKey}\n`);
        }
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.stderr.write('dream serve: shutting down…\n');
          void server.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
