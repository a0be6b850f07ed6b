import { InvalidInputError } from '../core/errors.ts';
import { MAX_PATH_BYTES, MAX_PATH_SEGMENTS, MAX_SEGMENT_BYTES } from './limits.ts';

/**
 * Memory paths come from users and transcripts and become file names under `tree/`, so they
 * are checked strictly before anything else happens. Rules (SDK MemoryCreateParams.path):
 * starts with `/`, 1–20 segments, no empty / `.` / `..` segment (so no `//` and no trailing
 * `/`), no control or format characters, no U+2028/U+2029, NFC, ≤ 1,024 UTF-8 bytes.
 * Non-NFC input is refused rather than normalized: silently changing a path would make two
 * byte-different requests address one memory, and the caller's hash/paths would drift.
 */

// Cc (controls incl. NUL, DEL, C1), Cf (format: zero-width joiners, bidi overrides…), and the
// line/paragraph separators Zl/Zp. Lone surrogates are caught separately (not valid UTF-8).
const FORBIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function fail(field: string, path: unknown, reason: string): never {
  throw new InvalidInputError('invalid_memory_path', `${field}: ${JSON.stringify(path)} ${reason}`, {
    field,
    path,
  });
}

function describeChar(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Returns the path unchanged when valid; throws InvalidInputError naming `field` otherwise. */
export function validateMemoryPath(path: unknown, field = 'path'): string {
  if (typeof path !== 'string') fail(field, path, 'is not a string');
  if (!path.startsWith('/')) fail(field, path, 'must start with "/"');
  const bytes = Buffer.byteLength(path, 'utf8');
  if (bytes > MAX_PATH_BYTES) {
    fail(field, path.length > 80 ? `${path.slice(0, 80)}…` : path, `is ${bytes} bytes; the limit is ${MAX_PATH_BYTES} UTF-8 bytes`);
  }
  if (LONE_SURROGATE.test(path)) fail(field, path, 'contains an unpaired surrogate (not valid UTF-8)');
  const bad = FORBIDDEN.exec(path);
  if (bad) fail(field, path, `contains a control or format character (${describeChar(bad[0])}) at index ${bad.index}`);
  if (path.normalize('NFC') !== path) fail(field, path, 'is not in Unicode Normalization Form C (normalize it to NFC first)');
  if (path.length > 1 && path.endsWith('/')) fail(field, path, 'must not end with "/"');
  const segments = path.slice(1).split('/');
  if (segments.length > MAX_PATH_SEGMENTS) fail(field, path, `has ${segments.length} segments; the limit is ${MAX_PATH_SEGMENTS}`);
  segments.forEach((seg, i) => {
    if (seg === '') fail(field, path, i === 0 && segments.length === 1 ? 'names no memory (path is just "/")' : 'has an empty segment ("//")');
    if (seg === '.' || seg === '..') fail(field, path, `has a "${seg}" segment`);
    const segBytes = Buffer.byteLength(seg, 'utf8');
    if (segBytes > MAX_SEGMENT_BYTES) fail(field, path, `has a segment of ${segBytes} bytes; the limit is ${MAX_SEGMENT_BYTES} (file name limit of the tree mirror)`);
  });
  return path;
}

/**
 * A `path_prefix` for listing: `/` or a valid path followed by `/`. Matching is by whole
 * segments, which the trailing slash guarantees.
 */
export function validatePathPrefix(prefix: unknown, field = 'path_prefix'): string {
  if (typeof prefix !== 'string') fail(field, prefix, 'is not a string');
  if (prefix === '/') return prefix;
  if (!prefix.endsWith('/')) fail(field, prefix, 'must end with "/" (prefixes match whole segments)');
  validateMemoryPath(prefix.slice(0, -1), field);
  return prefix;
}

/** The segments of a valid path, e.g. `/a/b.md` → ['a', 'b.md']. */
export function pathSegments(path: string): string[] {
  return path.slice(1).split('/');
}

/**
 * Two paths overlap when one is an ancestor folder of the other (`/notes` and `/notes/a.md`):
 * they cannot both exist, as a file and a folder of the same name cannot in the tree mirror.
 */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** Plain code-unit order: deterministic and locale-independent. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
