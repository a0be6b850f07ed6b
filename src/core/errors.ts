/**
 * One error hierarchy for the whole system. Every error has a stable `code` (documented in
 * docs/errors.md), an API error `type` (the shape Anthropic's API uses, so the SDK maps it to
 * its own classes), an HTTP status and a CLI exit code. User errors (bad input) are apart from
 * system errors so callers can tell "fix your input" from "something broke".
 */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'memory_precondition_failed_error'
  | 'memory_path_conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error';

/** Exit codes of the `dream` CLI; documented in README.md. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  badInput: 2,
  dreamFailed: 3,
  notSatisfied: 4,
  canceled: 5,
  notFound: 6,
  conflict: 7,
} as const;

export class DreamworkError extends Error {
  readonly code: string;
  readonly type: ApiErrorType;
  readonly status: number;
  readonly exitCode: number;
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    opts: { type?: ApiErrorType; status?: number; exitCode?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.type = opts.type ?? 'api_error';
    this.status = opts.status ?? 500;
    this.exitCode = opts.exitCode ?? ExitCode.internal;
    this.details = opts.details ?? {};
  }
}

/** The caller gave something invalid: a field, a file, an id. Message names what and where. */
export class InvalidInputError extends DreamworkError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { type: 'invalid_request_error', status: 400, exitCode: ExitCode.badInput, details });
  }
}

export class NotFoundError extends DreamworkError {
  constructor(kind: string, id: string) {
    super('not_found', `${kind} ${JSON.stringify(id)} not found`, {
      type: 'not_found_error',
      status: 404,
      exitCode: ExitCode.notFound,
      details: { kind, id },
    });
  }
}

export class ConflictError extends DreamworkError {
  constructor(code: string, message: string, type: ApiErrorType = 'conflict_error', details: Record<string, unknown> = {}) {
    super(code, message, { type, status: 409, exitCode: ExitCode.conflict, details });
  }
}

export class PermissionError extends DreamworkError {
  constructor(code: string, message: string) {
    super(code, message, { type: 'permission_error', status: 403, exitCode: ExitCode.badInput });
  }
}

export class TooLargeError extends DreamworkError {
  constructor(code: string, message: string) {
    super(code, message, { type: 'request_too_large', status: 413, exitCode: ExitCode.badInput });
  }
}

/** A request to `dream serve` without a valid API key. */
export class AuthenticationError extends DreamworkError {
  constructor(code: string, message: string) {
    super(code, message, { type: 'authentication_error', status: 401, exitCode: ExitCode.badInput });
  }
}

/** Too many requests for one key; `retryAfterSeconds` becomes the retry-after header. */
export class RateLimitError extends DreamworkError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', message, { type: 'rate_limit_error', status: 429, exitCode: ExitCode.badInput, details: { retry_after: retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isDreamworkError(e: unknown): e is DreamworkError {
  return e instanceof DreamworkError;
}
