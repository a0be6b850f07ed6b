import { open, readFile, rename, link, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { nowIso } from '../core/clock.ts';
import { isAlive } from '../core/lock.ts';
import { LockRecord } from './schema.ts';

/**
 * Writes to one store are serialized at two levels:
 *  - inside one thread, a promise chain per lock path (cheap, fair, FIFO);
 *  - across processes and worker threads, a lock file created with O_EXCL. A lock whose holder
 *    process is gone (process.kill(pid, 0) → ESRCH, same host) is stale and is broken.
 * `onStale` lets the caller repair what a crashed writer may have left half-done.
 */

const LOCK_FILE = 'write.lock';
const chains = new Map<string, Promise<unknown>>();

export interface LockOptions {
  /** Give up after this long waiting for another process (ms). */
  timeoutMs?: number;
  /** Called, while holding the lock, when a stale lock from a dead writer was broken. */
  onStale?: () => Promise<void>;
}

export async function withStoreLock<T>(storeDir: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const key = join(storeDir, LOCK_FILE);
  const prev = chains.get(key) ?? Promise.resolve();
  const run = prev.then(
    () => withFileLock(key, fn, opts),
    () => withFileLock(key, fn, opts),
  );
  // Keep the chain alive but never let one failure poison the next waiter.
  const tail = run.catch(() => undefined);
  chains.set(key, tail);
  try {
    return await run;
  } finally {
    if (chains.get(key) === tail) chains.delete(key);
  }
}

async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, opts: LockOptions): Promise<T> {
  const token = randomBytes(12).toString('hex');
  const brokeStale = await acquire(lockPath, token, opts.timeoutMs ?? 30_000);
  try {
    if (brokeStale && opts.onStale) await opts.onStale();
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function readLock(lockPath: string): Promise<LockRecord | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const parsed = LockRecord.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    // A holder that died between create and write leaves an empty file.
    return 'unreadable';
  }
}

/** Returns true when a stale lock was broken on the way. */
async function acquire(lockPath: string, token: string, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  let brokeStale = false;
  let delay = 2;
  let unreadableSince: number | undefined;
  for (;;) {
    const record: LockRecord = { pid: process.pid, thread_id: threadId, hostname: hostname(), acquired_at: nowIso(), token };
    try {
      const fh = await open(lockPath, 'wx');
      try {
        await fh.writeFile(JSON.stringify(record));
      } finally {
        await fh.close();
      }
      return brokeStale;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // The store directory is gone (deleted while we waited): never recreate it here.
        throw new NotFoundError('memory_store', basename(dirname(lockPath)));
      }
      if (code !== 'EEXIST') throw e;
    }
    const holder = await readLock(lockPath);
    if (holder === 'unreadable') {
      // Either being written right now or left empty by a crash: give it a moment first.
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 2_000 && (await breakLock(lockPath, undefined))) brokeStale = true;
    } else if (holder !== 'missing') {
      unreadableSince = undefined;
      if (holder.hostname === hostname() && !isAlive(holder.pid) && (await breakLock(lockPath, holder.token))) {
        brokeStale = true;
        continue;
      }
    }
    if (Date.now() - started > timeoutMs) {
      const who = typeof holder === 'object' ? ` by pid ${holder.pid} on ${holder.hostname} since ${holder.acquired_at}` : '';
      throw new ConflictError('store_locked', `${lockPath}: store is locked${who}; gave up after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
}

/**
 * Move the stale lock aside (rename is atomic, so only one breaker wins), then make sure what
 * was moved is the stale lock we judged and not a fresh one taken in between; if it was fresh,
 * put it back.
 */
async function breakLock(lockPath: string, staleToken: string | undefined): Promise<boolean> {
  const aside = `${lockPath}.stale.${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  const moved = await readLock(aside);
  const isTheStaleOne = staleToken === undefined ? moved === 'unreadable' || moved === 'missing' : typeof moved === 'object' && moved.token === staleToken;
  if (!isTheStaleOne) {
    await link(aside, lockPath).catch(() => undefined);
    await rm(aside, { force: true });
    return false;
  }
  await rm(aside, { force: true });
  return true;
}

async function release(lockPath: string, token: string): Promise<void> {
  const holder = await readLock(lockPath);
  // Only remove our own lock: if the store was deleted under it, there is nothing to remove.
  if (typeof holder === 'object' && holder.token === token) await rm(lockPath, { force: true });
}
