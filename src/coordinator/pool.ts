import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Piscina } from 'piscina';
import type { PoolTask } from '../worker/protocol.ts';

/**
 * Worker pools. Worker modules are TypeScript when running from source; then each thread loads
 * tsx itself (worker threads do not inherit the main thread's module hooks on Node 20), which
 * costs about half a second of CPU per thread: that is why one task pool serves a whole
 * `dream run` (import, then extraction, cross-run diffs and evidence of every dream in the chain).
 */
export function workerFile(name: string): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  const isTs = here.endsWith('.ts');
  const filename = fileURLToPath(new URL(`../worker/${name}.${isTs ? 'ts' : 'js'}`, here));
  const base = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  const hasTsx = base.some((a, i) => a === '--import' && base[i + 1]?.includes('tsx')) || base.some((a) => a.includes('tsx'));
  return { filename, execArgv: isTs && !hasTsx ? [...base, '--import', 'tsx'] : base };
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A thread's first full GC waits until its old generation holds this much. Streaming a log
 * decodes and drops megabytes a second; with V8's default start (a few MB, grown from what
 * survives) a thread ran a full mark-compact every ~50 ms, and the concurrent marking behind it
 * kept a second core a third busy. Measured on one thread importing and extracting 24 logs:
 * 83 → 11 full GCs, 7.8 → 5.8 s of CPU, +75 MB RSS. The flag is process-wide but read when an
 * isolate is made, so it shapes the threads started after this, never the main thread.
 */
const THREAD_INITIAL_OLD_MB = 96;
let threadHeapsTuned = false;

function tuneThreadHeaps(): void {
  if (threadHeapsTuned) return;
  setFlagsFromString(`--initial-old-space-size=${THREAD_INITIAL_OLD_MB}`);
  threadHeapsTuned = true;
}

/**
 * `heapMb` caps each thread's old generation: V8 otherwise lets garbage pile up to a quarter of
 * the machine's memory before collecting, and a streamed 2 GB log would show as hundreds of MB of
 * RSS that hold nothing live.
 */
export function createPool(name: string, threads: number, opts: { heapMb?: number; idleMs?: number; warm?: boolean } = {}): Piscina {
  const { filename, execArgv } = workerFile(name);
  tuneThreadHeaps();
  return new Piscina({
    filename,
    execArgv,
    ...(opts.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: opts.heapMb } } : {}),
    // `warm`: start the threads now, so loading them overlaps whatever the caller does next.
    minThreads: opts.warm ? threads : 0,
    maxThreads: threads,
    // One task per thread at a time: a batch is the unit of isolation.
    concurrentTasksPerWorker: 1,
    idleTimeout: opts.idleMs ?? 1_000,
  });
}

/**
 * Old-generation cap of a task thread. Its live data is a batch's findings, one import's
 * buffers or two logs' template sets, all far smaller; a 2 GB log streams through it.
 */
const TASK_HEAP_MB = 384;
/** Task threads outlive a phase (the next one reuses them); a finished run destroys the pool. */
const TASK_IDLE_MS = 60_000;

/**
 * The shared pool of task threads (worker/task-worker.ts): every task kind but grading, which
 * keeps a thread of its own. Tasks are plain data (worker/protocol.ts), one per thread at a time.
 */
export class TaskPool {
  private constructor(
    private readonly piscina: Piscina,
    readonly threads: number,
  ) {}

  static create(threads: number): TaskPool {
    return new TaskPool(createPool('task-worker', threads, { heapMb: TASK_HEAP_MB, idleMs: TASK_IDLE_MS }), threads);
  }

  /**
   * Busy thread-time: ∫ min(tasks in flight, threads) dt, since piscina runs that many at once.
   * `dream compare` divides it by wall × threads for worker utilization (DREAM_POOL_STATS).
   */
  private busy = { ms: 0, inFlight: 0, since: performance.now() };

  private tick(delta: number): void {
    const now = performance.now();
    this.busy.ms += Math.min(this.busy.inFlight, this.threads) * (now - this.busy.since);
    this.busy.since = now;
    this.busy.inFlight += delta;
  }

  private gradeThread: Piscina | null = null;

  /**
   * The grader's thread: a thread of its own, never a task thread, so nothing that produced a
   * candidate shares its heap or module state. It only ever runs grade tasks (pure functions of
   * the task), so the dreams of one run share it instead of each loading a thread for a grading
   * that takes a fraction of that; it starts on first use, warm, while the merger runs.
   */
  grader(): Piscina {
    return (this.gradeThread ??= createPool('grade-worker', 1, { warm: true, idleMs: TASK_IDLE_MS }));
  }

  run(task: PoolTask, opts: { signal?: AbortSignal } = {}): Promise<unknown> {
    this.tick(1);
    return this.piscina.run(task, opts.signal ? { signal: opts.signal } : {}).finally(() => this.tick(-1));
  }

  destroy(): Promise<void> {
    const file = process.env.DREAM_POOL_STATS;
    if (file) appendFileSync(file, `${JSON.stringify({ threads: this.threads, busy_ms: Math.round(this.busy.ms) })}\n`);
    const grader = this.gradeThread;
    this.gradeThread = null;
    return Promise.all([this.piscina.destroy(), grader?.destroy()]).then(() => undefined);
  }
}

/** Run `fn` on the caller's pool, or on a pool of `threads` made for it and destroyed after. */
export async function usePool<T>(shared: TaskPool | undefined, threads: number, fn: (pool: TaskPool) => Promise<T>): Promise<T> {
  if (shared) return fn(shared);
  const own = TaskPool.create(threads);
  try {
    return await fn(own);
  } finally {
    await own.destroy();
  }
}
