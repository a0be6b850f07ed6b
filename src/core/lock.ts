import { open, readFile, rm, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { DreamworkError } from './errors.ts';

/** True when a process with this pid exists on this machine. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx');
    await fh.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
    await fh.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
}

async function removeIfStale(path: string): Promise<void> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as { pid?: number; host?: string };
    // A lock whose owner died (kill -9) would block forever; on this host we can tell.
    if (owner.host === hostname() && typeof owner.pid === 'number' && !isAlive(owner.pid)) {
      await rm(path, { force: true });
    }
  } catch {
    // Unreadable or half-written lock (its writer died between open and write): treat as stale.
    await rm(path, { force: true });
  }
}

/**
 * Run `fn` holding an exclusive lock file (O_EXCL) — short critical sections across processes,
 * like read-modify-write of a dream record. Stale locks of dead processes are broken.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  while (!(await tryAcquire(path))) {
    await removeIfStale(path);
    if (Date.now() > deadline) {
      throw new DreamworkError('lock_timeout', `could not lock ${path} within ${timeoutMs} ms (held by another process)`);
    }
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 25);
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
