import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RootPaths } from '../core/root.ts';
import { InvalidInputError } from '../core/errors.ts';
import { buildApp } from './app.ts';
import { loadApiKeys } from './auth.ts';
import type { ServerContext } from './context.ts';
import type { RateLimits } from './rate-limit.ts';

/**
 * A long-lived part of the server (the dream runner, a watcher): started once the routes exist,
 * stopped before the server closes, in reverse order.
 */
export interface ServerService {
  name: string;
  start(app: FastifyInstance, ctx: ServerContext): Promise<void>;
  stop(): Promise<void>;
}

export interface ServeOptions {
  paths: RootPaths;
  host?: string;
  port?: number;
  keys?: string[];
  rateLimits?: RateLimits;
  logger?: Logger;
  routes?: ((app: FastifyInstance, ctx: ServerContext) => void)[];
  services?: ServerService[];
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  ctx: ServerContext;
  /** The key generated on this first start, to print once; undefined when keys were configured. */
  generatedKey?: string;
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const port = opts.port ?? 4319;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidInputError('invalid_option', `--port: must be an integer from 0 to 65535, got ${opts.port}`);
  }
  const keys = await loadApiKeys(opts.paths, opts.keys ? { keys: opts.keys } : {});
  const { app, ctx } = buildApp({
    paths: opts.paths,
    keys: keys.keys,
    ...(opts.rateLimits ? { rateLimits: opts.rateLimits } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.routes ? { routes: opts.routes } : {}),
  });
  const services = opts.services ?? [];
  await app.listen({ host: opts.host ?? '127.0.0.1', port });
  const started: ServerService[] = [];
  try {
    for (const s of services) {
      await s.start(app, ctx);
      started.push(s);
    }
  } catch (e) {
    for (const s of started.reverse()) await s.stop();
    await app.close();
    throw e;
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address : { address: opts.host ?? '127.0.0.1', port };
  const host = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${bound.port}`,
    app,
    ctx,
    ...(keys.generated ? { generatedKey: keys.generated } : {}),
    close: () =>
      (closed ??= (async () => {
        for (const s of [...started].reverse()) await s.stop();
        await app.close();
      })()),
  };
}
