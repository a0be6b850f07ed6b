import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BIN, REPO } from './cli.ts';
import { TEST_KEY } from './server.ts';

/** `dream serve` as a child process (what a restart test kills with SIGKILL). */
export interface ChildServer {
  url: string;
  /** What `dream serve --json` printed once listening (url, root, generated_api_key on a first start). */
  info: { url: string; root: string; generated_api_key?: string };
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM and wait: a graceful stop. */
  stop(): Promise<void>;
  /** SIGKILL and wait: no cleanup at all. */
  kill(): Promise<void>;
}

export async function startChildServer(root: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [BIN, '--root', root, '--json', 'serve', '--port', '0', ...args], {
    cwd: REPO,
    env: { ...process.env, ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, DREAM_LOG_LEVEL: 'warn', DREAM_API_KEYS: TEST_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const info = await new Promise<ChildServer['info']>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      // --json prints one (possibly pretty-printed) object once listening.
      try {
        resolve(JSON.parse(stdout) as ChildServer['info']);
      } catch {
        // not complete yet
      }
    });
    child.on('exit', (code) => reject(new Error(`dream serve exited with ${code} before listening:\n${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url: info.url,
    info,
    child,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** POST /v1/sessions/import: the SDK has no import, so this is raw fetch with the same key header. */
export async function importOverHttp(url: string, file: string, key = TEST_KEY): Promise<Response> {
  return fetch(`${url}/v1/sessions/import?filename=${encodeURIComponent(basename(file))}`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/octet-stream' },
    body: await readFile(file),
  });
}

/**
 * `n` distinct CI logs of `lines` lines each, failing in different ways: enough work that a
 * dream over them is still running when a test cancels it or kills its server.
 */
export async function writeLogs(dir: string, n: number, lines = 2000): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const out: string[] = [`+ ci run ${i} on runner-${i % 7}`];
    for (let l = 0; l < lines; l++) out.push(`[${String(l).padStart(5, '0')}] step ${l % 13} module-${(i * 31 + l) % 97} compiled in ${(l * 7 + i) % 1000}ms`);
    out.push(`npm ERR! code E${400 + (i % 5)}`, `npm ERR! failed to fetch package-${i % 9}@${i}.0.0`, `Process exited with code 1`);
    const file = join(dir, `run-${String(i).padStart(3, '0')}.log`);
    await writeFile(file, out.join('\n') + '\n');
    files.push(file);
  }
  return files;
}

/** Poll until `fn` returns a value, or fail after `ms` with the last thing seen. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 60_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
