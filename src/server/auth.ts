import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AuthenticationError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';

/** Where a generated key is kept: owner-only, beside the data it protects. */
export function keyFile(paths: RootPaths): string {
  return join(paths.root, 'server', 'api-keys.txt');
}

export interface ApiKeys {
  keys: string[];
  /** Set when this start generated the key, so the caller prints it (once). */
  generated?: string;
  source: 'option' | 'env' | 'file' | 'generated';
}

function splitKeys(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter((k) => k.length > 0 && !k.startsWith('#'));
}

/**
 * Keys come from the caller (config), then DREAM_API_KEYS (comma-separated), then the key file;
 * when none is set anywhere a key is generated, written with mode 0600 and returned for printing.
 */
export async function loadApiKeys(paths: RootPaths, opts: { keys?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ApiKeys> {
  if (opts.keys && opts.keys.length > 0) return { keys: opts.keys, source: 'option' };
  const fromEnv = splitKeys((opts.env ?? process.env).DREAM_API_KEYS ?? '');
  if (fromEnv.length > 0) return { keys: fromEnv, source: 'env' };
  const file = keyFile(paths);
  try {
    const stored = splitKeys(await readFile(file, 'utf8'));
    if (stored.length > 0) return { keys: stored, source: 'file' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = `dream-${randomBytes(24).toString('base64url')}`;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return { keys: [key], generated: key, source: 'generated' };
}

/** A short, stable, non-secret name for a key: what versions record as the actor. */
export function keyId(key: string): string {
  return `key_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** The SDK sends `x-api-key`, or `Authorization: Bearer` when built with authToken; accept both. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x.length > 0) return x;
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1];
  }
  return undefined;
}

export class KeyChecker {
  private readonly digests: Buffer[];
  constructor(keys: readonly string[]) {
    this.digests = keys.map((k) => createHash('sha256').update(k).digest());
  }

  /** The key id of a valid key; comparison in constant time over digests. */
  check(headers: Record<string, string | string[] | undefined>): string {
    const key = presentedKey(headers);
    if (key === undefined) throw new AuthenticationError('no_request_key', 'no API key: send it in the x-api-key header');
    const d = createHash('sha256').update(key).digest();
    if (!this.digests.some((k) => timingSafeEqual(k, d))) throw new AuthenticationError('bad_request_key', 'invalid x-api-key');
    return keyId(key);
  }
}
