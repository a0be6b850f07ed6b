import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RootPaths } from '../../src/core/root.ts';
import { buildWatchConfig, type WatchConfigInput } from '../../src/watch/config.ts';
import type { WatchEvent } from '../../src/watch/events.ts';
import { Watcher } from '../../src/watch/watcher.ts';

/** Every event a watcher emitted, with a way to wait for the next one that matches. */
export class Events {
  readonly all: WatchEvent[] = [];
  private waiters: { pred: (e: WatchEvent) => boolean; resolve: (e: WatchEvent) => void }[] = [];

  push(e: WatchEvent): void {
    this.all.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  of<T extends WatchEvent['type']>(type: T): Extract<WatchEvent, { type: T }>[] {
    return this.all.filter((e): e is Extract<WatchEvent, { type: T }> => e.type === type);
  }

  /** The `n`-th event (1-based) of this type, already seen or still to come. */
  nth<T extends WatchEvent['type']>(
    type: T,
    n = 1,
    timeoutMs = 60_000,
  ): Promise<Extract<WatchEvent, { type: T }>> {
    const seen = this.of(type);
    if (seen.length >= n) return Promise.resolve(seen[n - 1]!);
    let count = seen.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no ${type} #${n} within ${timeoutMs} ms; saw ${JSON.stringify(this.all.map((e) => e.type))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        pred: (e) => e.type === type && ++count >= n,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<WatchEvent, { type: T }>);
        },
      });
    });
  }
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface Started {
  watcher: Watcher;
  events: Events;
}

/** A real watcher on a real root: one worker thread, a short settle interval, long timers unless asked. */
export async function startWatcher(
  root: string,
  input: Partial<WatchConfigInput> & Pick<WatchConfigInput, 'dirs'>,
): Promise<Started> {
  const config = await buildWatchConfig({
    settleMs: 250,
    every: 100,
    afterMs: 600_000,
    retryMs: 200,
    ...input,
    request: { workers: 1, ...input.request },
  });
  const watcher = new Watcher(new RootPaths(root), config);
  const events = new Events();
  watcher.on('event', (e) => events.push(e));
  await watcher.start();
  return { watcher, events };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
