import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { keyFile, KeyChecker, keyId, loadApiKeys } from '../../src/server/auth.ts';
import { RateLimiter } from '../../src/server/rate-limit.ts';
import { runCli, tempRoot } from '../helpers/cli.ts';
import { startChildServer } from '../helpers/serve-child.ts';

describe('API keys', () => {
  it('generates one key on first start, owner-only, and reuses it after', async () => {
    const paths = new RootPaths(await tempRoot());
    const first = await loadApiKeys(paths, { env: {} });
    expect(first.source).toBe('generated');
    expect(first.generated).toMatch(/^dream-[A-Za-z0-9_-]{32}$/);
    expect((await stat(keyFile(paths))).mode & 0o777).toBe(0o600);
    expect((await readFile(keyFile(paths), 'utf8')).trim()).toBe(first.generated);
    const second = await loadApiKeys(paths, { env: {} });
    expect(second).toEqual({ keys: [first.generated], source: 'file' });
  });

  it('takes keys from config first, then DREAM_API_KEYS (comma-separated)', async () => {
    const paths = new RootPaths(await tempRoot());
    expect(await loadApiKeys(paths, { keys: ['a'], env: { DREAM_API_KEYS: 'b' } })).toEqual({ keys: ['a'], source: 'option' });
    expect(await loadApiKeys(paths, { env: { DREAM_API_KEYS: ' b , c ,' } })).toEqual({ keys: ['b', 'c'], source: 'env' });
  });

  it('accepts x-api-key or a Bearer token and names what is wrong otherwise', () => {
    const c = new KeyChecker(['k1', 'k2']);
    expect(c.check({ 'x-api-key': 'k2' })).toBe(keyId('k2'));
    expect(c.check({ authorization: 'Bearer k1' })).toBe(keyId('k1'));
    expect(() => c.check({})).toThrow(/no API key/);
    expect(() => c.check({ 'x-api-key': 'k3' })).toThrow(/invalid x-api-key/);
    expect(keyId('k1')).not.toContain('k1');
  });
});

describe('rate limiter', () => {
  it('refills at the per-minute rate and says when to retry', () => {
    let now = 0;
    const r = new RateLimiter({ createsPerMinute: 2, readsPerMinute: 60 }, () => now);
    r.take('k', 'create');
    r.take('k', 'create');
    let err: unknown;
    try {
      r.take('k', 'create');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ status: 429, retryAfterSeconds: 30 });
    r.take('other', 'create'); // per key
    now += 30_000;
    r.take('k', 'create');
  });
});

describe('dream serve (the CLI)', () => {
  it('prints a generated key once and binds to 127.0.0.1', async () => {
    const root = await tempRoot();
    const env = { DREAM_API_KEYS: '' };
    const s = await startChildServer(root, [], env);
    const key = (await readFile(keyFile(new RootPaths(root)), 'utf8')).trim();
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(key).toMatch(/^dream-/);
      expect(s.info.generated_api_key).toBe(key);
      const res = await fetch(`${s.url}/v1/memory_stores`, { headers: { 'x-api-key': key, 'anthropic-beta': 'agent-memory-2026-07-22' } });
      expect(res.status).toBe(200);
    } finally {
      await s.stop();
    }
    // Printed once: the JSON line of the first start carried it, the second start's does not.
    const again = await startChildServer(root, [], env);
    try {
      expect(again.info.generated_api_key).toBeUndefined();
      const res = await fetch(`${again.url}/v1/memory_stores`, { headers: { 'x-api-key': key } });
      expect(res.status).toBe(200);
    } finally {
      await again.stop();
    }
    const help = await runCli(['serve', '--help'], root);
    expect(help.stdout).toMatch(/--watch-config/);
  }, 120_000);
});
