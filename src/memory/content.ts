import { InvalidInputError, TooLargeError } from '../core/errors.ts';
import { sha256Hex } from '../core/ids.ts';
import { MAX_CONTENT_BYTES } from './limits.ts';

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Content is UTF-8 text ≤ 102,400 bytes. A JS string with an unpaired surrogate has no UTF-8
 * form (Node would silently write U+FFFD), so it is refused: the stored bytes must hash to
 * what the caller computed.
 */
export function validateContent(content: unknown, field = 'content'): string {
  if (typeof content !== 'string') {
    throw new InvalidInputError('invalid_content', `${field}: expected a string, got ${content === null ? 'null' : typeof content}`, { field });
  }
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_CONTENT_BYTES) {
    throw new TooLargeError('content_too_large', `${field}: content is ${bytes} bytes; the limit is ${MAX_CONTENT_BYTES} UTF-8 bytes`);
  }
  const m = LONE_SURROGATE.exec(content);
  if (m) {
    throw new InvalidInputError('invalid_content', `${field}: unpaired surrogate at index ${m.index} (not valid UTF-8)`, { field });
  }
  return content;
}

export interface ContentFacts {
  content_sha256: string;
  content_size_bytes: number;
}

export function contentFacts(content: string): ContentFacts {
  return { content_sha256: sha256Hex(content), content_size_bytes: Buffer.byteLength(content, 'utf8') };
}

const SHA = /^[0-9a-f]{64}$/;

export function validateSha256(value: unknown, field: string): string {
  if (typeof value !== 'string' || !SHA.test(value)) {
    throw new InvalidInputError('invalid_sha256', `${field}: ${JSON.stringify(value)} is not 64 lowercase hex characters`, { field });
  }
  return value;
}
