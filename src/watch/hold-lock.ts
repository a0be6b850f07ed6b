import { ConflictError, isDreamworkError } from '../core/errors.ts';
import { withFileLock } from '../core/lock.ts';

/**
 * A lock file held until `release()` — the same O_EXCL lock files as the rest of the root
 * (a dead owner's lock is broken), held for a watcher's lifetime or one dream instead of a
 * short critical section. `tryHold` waits only long enough to break a dead owner's lock and
 * take it (withFileLock checks its deadline right after breaking one): a live holder is a
 * ConflictError.
 */
const STALE_BREAK_MS = 250;

export interface HeldLock {
  release(): Promise<void>;
}

export async function tryHold(path: string, conflict: () => ConflictError): Promise<HeldLock> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let acquired!: () => void;
  const got = new Promise<void>((r) => (acquired = r));
  const held = withFileLock(
    path,
    async () => {
      acquired();
      await released;
    },
    STALE_BREAK_MS,
  );
  try {
    await Promise.race([got, held]);
  } catch (e) {
    if (isDreamworkError(e) && e.code === 'lock_timeout') throw conflict();
    throw e;
  }
  return {
    release: async () => {
      release();
      await held;
    },
  };
}
