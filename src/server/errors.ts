import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DreamworkError, type ApiErrorType } from '../core/errors.ts';

/** The API's error body: the SDK reads `error.type` and the status to pick its error class. */
export interface ApiErrorBody {
  type: 'error';
  error: { type: ApiErrorType; message: string; code: string; conflicting_memory_id?: string; conflicting_path?: string };
}

export function errorBody(type: ApiErrorType, message: string, code: string): ApiErrorBody {
  return { type: 'error', error: { type, message, code } };
}

/** Map fastify's own errors (bad JSON, body too large, unsupported media type) to API errors. */
function fromFastify(e: FastifyError): { status: number; body: ApiErrorBody } | undefined {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: errorBody('request_too_large', 'request body is larger than the server accepts', 'request_too_large') };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 400, body: errorBody('invalid_request_error', `unsupported content-type: ${e.message}`, 'unsupported_media_type') };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: errorBody('invalid_request_error', 'request body is empty; a JSON object was expected', 'empty_body') };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: errorBody('invalid_request_error', `request body is not valid JSON: ${e.message}`, 'invalid_json') };
    default:
      if (e instanceof SyntaxError) {
        return { status: 400, body: errorBody('invalid_request_error', `request body is not valid JSON: ${e.message}`, 'invalid_json') };
      }
      return undefined;
  }
}

/**
 * Every error leaves the server in the API's shape. Our own errors carry their type and status;
 * anything else is a 500 whose details go to the log, never to the client.
 */
export function handleError(e: unknown, req: FastifyRequest, reply: FastifyReply): void {
  if (e instanceof DreamworkError) {
    if (e.status >= 500) req.log.error({ err: e }, 'request failed');
    const body = errorBody(e.type, e.message, e.code);
    // The API names the memory in the way (BetaManagedAgentsMemoryPathConflictErrorObject).
    if (e.type === 'memory_path_conflict_error') {
      const { conflicting_memory_id: id, conflicting_path: path } = e.details;
      if (typeof id === 'string') body.error.conflicting_memory_id = id;
      if (typeof path === 'string') body.error.conflicting_path = path;
    }
    void reply.status(e.status).send(body);
    return;
  }
  const mapped = fromFastify(e as FastifyError);
  if (mapped) {
    void reply.status(mapped.status).send(mapped.body);
    return;
  }
  req.log.error({ err: e }, 'unexpected error');
  void reply.status(500).send(errorBody('api_error', 'internal server error; see the server log', 'internal'));
}

export function handleNotFound(req: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(errorBody('not_found_error', `no route for ${req.method} ${req.url.split('?')[0]}`, 'no_route'));
}
