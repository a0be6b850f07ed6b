/**
 * Runs the dreams created through the API, inside the server process.
 *
 *   POST /v1/dreams ─► reserve a queue slot ─► DreamRepo.create (pending) ─► queue (≤ maxQueued)
 *   queue ─► up to `concurrency` at a time ─► runDream(paths, id, hooks, sharedPool)
 *   start: dreams left pending/running by a dead process (or by this process's previous runner)
 *          are resumed first, or failed with `server_restarted` when they cannot be
 *   stop:  no new work; the running dream stops at its next resumable point (extraction polls
 *          every 250 ms) and stays `running` for the next start to resume
 *
 * Writes to one store are never concurrent: update_existing dreams are refused by
 * DreamRepo.create while another holds the store, and create_new dreams write a store of their
 * own. Cancellation is DreamRepo.cancel; the running dream polls its status and stops.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { DreamworkError, ExitCode } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { TaskPool } from '../coordinator/pool.ts';
import { orphanedDreams } from '../coordinator/resume.ts';
import { runDream } from '../coordinator/run-dream.ts';
import { DreamEventLog } from '../dreams/event-log.ts';
import { isFinal } from '../dreams/lifecycle.ts';
import type { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import type { ServerContext } from './context.ts';
import type { ServerService } from './serve.ts';

export interface DreamRunnerOptions {
  /** Dreams running at once (default 1: one dream already keeps every task thread busy). */
  concurrency?: number;
  /** Dreams waiting beyond the running ones; past this, creates answer 429. */
  maxQueued?: number;
  /** Task threads shared by every dream of this server. */
  workers: number;
  /** How long stop() lets a dream in its merge/grade phase finish before tearing threads down. */
  stopGraceMs?: number;
  /** The server's environment (ANTHROPIC_API_KEY decides whether a claude dream can run). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export const DEFAULT_MAX_QUEUED = 100;

/** The queue is full: a 429 with retry-after, so the SDK's retry loop backs off and tries again. */
export class DreamQueueFullError extends DreamworkError {
  readonly retryAfterSeconds = 30;
  constructor(limit: number) {
    super('dream_queue_full', `the server already has ${limit} dream(s) waiting; retry later or start dream serve with a larger --queue`, {
      type: 'rate_limit_error',
      status: 429,
      exitCode: ExitCode.badInput,
    });
  }
}

/** The server is shutting down and takes no new dreams. */
export class ServerStoppingError extends DreamworkError {
  constructor() {
    super('server_stopping', 'the server is shutting down and takes no new dreams', { type: 'api_error', status: 503, exitCode: ExitCode.internal });
  }
}

/** Dreams some runner of this process has queued or running: a second server in the same process must not adopt them. */
const claimed = new Set<string>();

export class DreamRunner implements ServerService {
  readonly name = 'dream-runner';
  readonly concurrency: number;
  readonly maxQueued: number;
  /** Emits `settled` (dream id) when a dream this runner ran ends or stops. */
  readonly events = new EventEmitter();
  private readonly queue: string[] = [];
  private readonly active = new Map<string, Promise<void>>();
  private reserved = 0;
  private stopping = false;
  private pool: TaskPool | undefined;
  private paths: RootPaths | undefined;
  private repo: DreamRepo | undefined;

  constructor(private readonly opts: DreamRunnerOptions) {
    this.concurrency = opts.concurrency ?? 1;
    this.maxQueued = opts.maxQueued ?? DEFAULT_MAX_QUEUED;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError(`concurrency: must be a positive integer, got ${this.concurrency}`);
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 0) throw new RangeError(`maxQueued: must be a non-negative integer, got ${this.maxQueued}`);
    this.events.setMaxListeners(0);
  }

  get workers(): number {
    return this.opts.workers;
  }

  get env(): NodeJS.ProcessEnv {
    return this.opts.env ?? process.env;
  }

  async start(_app: FastifyInstance, ctx: ServerContext): Promise<void> {
    this.paths = ctx.paths;
    this.repo = ctx.dreams;
    this.pool = TaskPool.create(this.opts.workers);
    ctx.pool = this.pool;
    for (const d of await this.leftBehind()) {
      const why = await this.cannotResume(d);
      if (why) {
        await this.failLeftBehind(d, why);
        continue;
      }
      this.opts.logger?.info({ dream_id: d.id, status: d.status }, 'resuming a dream left by a previous run');
      this.push(d.id);
    }
    this.pump();
  }

  /**
   * Take a queue slot before creating the dream, so concurrent creates cannot overshoot the
   * limit; the returned function gives it back (enqueue calls it too).
   */
  reserve(): () => void {
    if (this.stopping || !this.pool) throw new ServerStoppingError();
    if (this.queue.length + this.reserved >= this.maxQueued) throw new DreamQueueFullError(this.maxQueued);
    this.reserved++;
    let released = false;
    return () => {
      if (!released) this.reserved--;
      released = true;
    };
  }

  /** Queue a dream created under a reservation. */
  async enqueue(dreamId: string, release: () => void): Promise<void> {
    // Owned from now on, so a crash before it runs makes it an orphan the next start resumes.
    await this.repo!.setOwner(dreamId);
    release();
    this.push(dreamId);
    this.pump();
  }

  /** Whether this runner still has the dream queued or running. */
  has(dreamId: string): boolean {
    return this.active.has(dreamId) || this.queue.includes(dreamId);
  }

  get stats(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.active.size };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Queued dreams stay pending on disk, owned by this process: the next start resumes them.
    for (const id of this.queue.splice(0)) claimed.delete(id);
    const running = [...this.active.values()];
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (timer = setTimeout(r, this.opts.stopGraceMs ?? 10_000)));
    await Promise.race([Promise.all(running), grace]);
    clearTimeout(timer);
    // Past the grace period, tearing the threads down fails the running tasks; the shouldStop
    // hook makes runDream leave such a dream running (resumable) rather than failed.
    await this.pool?.destroy();
    await Promise.all(running);
    this.pool = undefined;
  }

  private push(id: string): void {
    if (claimed.has(id)) return;
    claimed.add(id);
    this.queue.push(id);
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const run = this.runOne(id).finally(() => {
        this.active.delete(id);
        claimed.delete(id);
        this.events.emit('settled', id);
        this.pump();
      });
      this.active.set(id, run);
    }
  }

  private async runOne(id: string): Promise<void> {
    const repo = this.repo!;
    try {
      const done = await runDream(this.paths!, id, { shouldStop: () => this.stopping }, this.pool);
      this.opts.logger?.info({ dream_id: id, status: done.status }, 'dream settled');
    } catch (e) {
      // runDream fails the dream itself for errors while it runs; what reaches here happened
      // before (another live process runs it, its config cannot be read).
      if (e instanceof DreamworkError && e.code === 'dream_in_progress') return;
      this.opts.logger?.error({ err: e, dream_id: id }, 'dream could not run');
      const error = { type: 'internal_error', message: `the server could not run this dream: ${(e as Error).message}` };
      const current = await repo.get(id).catch(() => undefined);
      if (current && !isFinal(current.status)) await repo.transition(id, 'failed', { error }).catch(() => {});
    }
  }

  /** Pending or running dreams whose runner is gone: a dead process, or this process with no live runner. */
  private async leftBehind(): Promise<DreamRecord[]> {
    // Dreams of this process that another runner here has queued or running are not ours.
    return (await orphanedDreams(this.paths!, { includeOwnProcess: true })).filter((d) => !claimed.has(d.id));
  }

  /** Why a left-behind dream cannot run here, or undefined when it can be resumed. */
  private async cannotResume(d: DreamRecord): Promise<string | undefined> {
    let config;
    try {
      config = await this.repo!.config(d.id);
    } catch (e) {
      return `its run configuration cannot be read: ${(e as Error).message}`;
    }
    if (config.engine === 'claude' && !config.engine_options.replay && !this.env.ANTHROPIC_API_KEY?.trim()) {
      return 'it runs on the claude engine and this server has no ANTHROPIC_API_KEY';
    }
    return undefined;
  }

  private async failLeftBehind(d: DreamRecord, why: string): Promise<void> {
    const output = d.outputs[0]?.memory_store_id;
    const message =
      `the server restarted while this dream was ${d.status} and cannot resume it: ${why}` +
      (output ? `; output store ${output} may be partly written` : '; no output store was written');
    this.opts.logger?.warn({ dream_id: d.id }, message);
    const error = { type: 'server_restarted', message };
    const log = new DreamEventLog(join(this.repo!.dir(d.id), 'events.jsonl'), d.session_id ?? d.id);
    await log.init();
    await log.append('dream.failed', { error });
    await this.repo!.transition(d.id, 'failed', { error });
  }
}
