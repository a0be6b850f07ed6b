import type { z } from 'zod';
import { InvalidInputError } from '../core/errors.ts';

/**
 * Validate a request body against a zod schema; the error names the field (`inputs[0].type`)
 * the way the API does. Unknown fields are refused by strict schemas, so a typo is not ignored.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || 'body';
  throw new InvalidInputError('invalid_body', `${field}: ${issue.message}`, { field });
}
