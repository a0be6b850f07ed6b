import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const BIN = join(REPO, 'bin/dream.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` is merged over this process's environment; an `undefined` value removes a variable. */
export function startCli(args: string[], root: string, env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, '--root', root, ...args], {
    cwd: REPO,
    env: { ...process.env, DREAM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Run the real `dream` CLI in a child process. */
export function runCli(args: string[], root: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = startCli(args, root, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export async function tempRoot(prefix = 'dw-root-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** sha256 of every file under dir, by relative path: to prove a tree byte-identical. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string): Promise<void> {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(await readFile(p)).digest('hex');
    }
  }
  await walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The plain-text tree of a store: path → content. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string): Promise<void> {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else out['/' + relative(dir, p)] = await readFile(p, 'utf8');
    }
  }
  await walk(dir);
  return out;
}
