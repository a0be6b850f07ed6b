import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The page's files: plain HTML, CSS and ES modules, served as they are (no build step). */
export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/**
 * The page renders transcript text, which is untrusted: it only ever sets it as text, and this
 * policy forbids inline scripts and any other origin as a second line of defense.
 */
const HEADERS: Record<string, string> = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * GET /review serves the review page. The files need no API key (they hold no data); every fetch
 * the page makes goes to /v1 with the key the reviewer typed in.
 */
export function reviewPageRoutes(app: FastifyInstance): void {
  // The page itself at /review and /review/ (one route: the router ignores trailing slashes, which
  // the static plugin's wildcard does not match); index.html links its files by absolute path.
  app.get('/review', async (_req, reply) => {
    const html = await readFile(join(STATIC_DIR, 'index.html'), 'utf8');
    return reply.headers(HEADERS).type('text/html; charset=utf-8').send(html);
  });
  void app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/review/',
    index: false,
    decorateReply: false,
    dotfiles: 'deny',
    // Always revalidate (etag): a newer page after an upgrade shows up on the next load.
    cacheControl: false,
    setHeaders: (reply) => reply.headers(HEADERS),
  });
}
