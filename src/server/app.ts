import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { RootPaths } from '../core/root.ts';
import { KeyChecker } from './auth.ts';
import { handleError, handleNotFound } from './errors.ts';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit.ts';
import { serverContext, type ServerContext } from './context.ts';
import { memoryStoreRoutes } from './routes/memory-stores.ts';
import { reviewRoutes } from './routes/review.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { memoryRoutes } from './routes/memories.ts';
import { memoryVersionRoutes } from './routes/memory-versions.ts';
import { reviewViewRoutes } from './routes/review-views.ts';
import { quarantineViewRoutes } from './routes/quarantine-views.ts';

export interface AppOptions {
  paths: RootPaths;
  keys: readonly string[];
  rateLimits?: RateLimits;
  logger?: Logger;
  /** Largest request body accepted (a memory is ≤ 100 KiB; imports send whole transcripts). */
  bodyLimit?: number;
  /** Extra route groups (dreams, sessions, the review page) registered by the caller. */
  routes?: ((app: FastifyInstance, ctx: ServerContext) => void)[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the API key that authenticated this request (set by the auth hook). */
    keyId: string;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The HTTP app: auth and rate limiting on every /v1 request, errors in the API's shape, routes
 * per resource. Building it is separate from listening so tests can inject requests or listen on
 * an ephemeral port.
 */
export function buildApp(opts: AppOptions): { app: FastifyInstance; ctx: ServerContext } {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit ?? 64 * 1024 * 1024,
    // Ids are validated by the repositories; keep params as given.
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;
  const ctx = serverContext(opts.paths);
  const checker = new KeyChecker(opts.keys);
  const limiter = new RateLimiter(opts.rateLimits ?? DEFAULT_RATE_LIMITS);

  app.decorateRequest('keyId', '');
  app.addHook('onRequest', async (req: FastifyRequest, reply) => {
    if (!req.url.startsWith('/v1/')) return;
    req.keyId = checker.check(req.headers);
    limiter.take(req.keyId, READ_METHODS.has(req.method) ? 'read' : 'create');
    void reply;
  });
  app.setErrorHandler((e, req, reply) => {
    const retry = (e as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retry !== undefined) void reply.header('retry-after', String(retry));
    // The SDK retries 409s and 5xx by default; a refused precondition or a conflict will not
    // change by retrying, so say so. 429 keeps its retry-after and stays retryable.
    const status = (e as { status?: number }).status;
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) void reply.header('x-should-retry', 'false');
    handleError(e, req, reply);
  });
  app.setNotFoundHandler(handleNotFound);

  memoryStoreRoutes(app, ctx);
  reviewRoutes(app, ctx);
  sessionRoutes(app, ctx);
  memoryRoutes(app, ctx);
  memoryVersionRoutes(app, ctx);
  reviewViewRoutes(app, ctx);
  quarantineViewRoutes(app, ctx);
  for (const r of opts.routes ?? []) r(app, ctx);
  return { app, ctx };
}
