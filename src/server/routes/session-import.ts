import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { DreamworkError, InvalidInputError, isDreamworkError } from '../../core/errors.ts';
import { importFile } from '../../sessions/import-file.ts';
import type { ServerContext } from '../context.ts';
import { str, type Query } from '../query.ts';
import { ImportFileResult, type ImportTask } from '../../worker/protocol.ts';
import { importedSessionView } from '../session-view.ts';

/**
 * Import one staged file: on the runner's task threads when the server has them (a 2 GB log
 * must not stall every other request), else here. A refused file raises the importer's own error.
 */
async function importOne(ctx: ServerContext, path: string, name: string): Promise<Awaited<ReturnType<typeof importFile>>> {
  if (!ctx.pool) return importFile(ctx.paths, path, undefined, name);
  const task: ImportTask = { kind: 'import', root: ctx.paths.root, path, source_path: name };
  const r = ImportFileResult.parse(await ctx.pool.run(task));
  if (r.status !== 'failed') return r;
  const status = r.error_status ?? 500;
  throw new DreamworkError(r.code ?? 'import_failed', r.reason, {
    type: status === 413 ? 'request_too_large' : status < 500 ? 'invalid_request_error' : 'api_error',
    status,
  });
}

/** What POST /v1/sessions/import answers (not an SDK type: the API has no import). */
export interface SessionImport {
  type: 'session_import';
  /** `existing`: the same bytes were imported before; the stored session is returned. */
  status: 'imported' | 'existing';
  session: BetaManagedAgentsSession;
  /** Lines the parser skipped (`line` 0 = the whole file), as `dream sessions import` reports them. */
  warnings: { line: number; message: string }[];
}

/** A file name, never a path: it names the session and shows in messages, nothing more. */
function fileName(raw: string | undefined): string {
  const name = raw ?? 'upload';
  if (name.length > 255 || /[/\\\0]/.test(name) || name === '.' || name === '..' || name.trim() === '') {
    throw new InvalidInputError('invalid_filename', `filename: ${JSON.stringify(name)} must be a plain file name (no / or \\, at most 255 characters)`, { field: 'filename' });
  }
  return name;
}

/**
 * POST /v1/sessions/import?filename=run-101.log with the file's raw bytes as the body (any
 * content type; gzip detected from the bytes). Sessions here are imported, not run. The body
 * limit is the server's (413 past it); a file the importer refuses is a 400 naming it and the line.
 */
export function sessionImportRoute(app: FastifyInstance, ctx: ServerContext): void {
  void app.register(async (scope) => {
    // The body is the file itself, whatever its content type says (a .json transcript too).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post('/v1/sessions/import', async (req): Promise<SessionImport> => {
      const q = req.query as Query;
      const header = req.headers['x-filename'];
      const name = fileName(str(q, 'filename') ?? (typeof header === 'string' ? header : undefined));
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new InvalidInputError('empty_body', `${name}: the request body is empty; send the file's bytes`, { field: 'body' });
      }
      const dir = await mkdtemp(join(tmpdir(), 'dw-upload-'));
      const path = join(dir, name);
      try {
        await writeFile(path, body);
        await mkdir(ctx.paths.sessionsDir, { recursive: true });
        let result;
        try {
          result = await importOne(ctx, path, name);
        } catch (e) {
          // A file the importer refuses (empty, binary, bad JSON, no events) is the caller's to fix.
          if (!isDreamworkError(e) || !(e.status < 500 || e.code === 'no_events')) throw e;
          const message = e.message.split(path).join(name);
          throw new InvalidInputError(e.code, message.startsWith(name) ? message : `${name}: ${message}`, { field: 'body', filename: name });
        }
        const session = result.session;
        return { type: 'session_import', status: result.status, session: importedSessionView(session), warnings: session.warnings };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
