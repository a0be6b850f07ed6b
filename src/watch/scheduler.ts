import { join } from 'node:path';
import { dreamOverSessions } from '../app/run.ts';
import type { TaskPool } from '../coordinator/pool.ts';
import { runDream, type RunHooks } from '../coordinator/run-dream.ts';
import { ConflictError, isDreamworkError, NotFoundError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { isFinal } from '../dreams/lifecycle.ts';
import { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord, RunConfig } from '../dreams/schema.ts';
import { DEFAULT_MAX_SESSIONS } from '../dreams/validate.ts';
import type { WatchConfig } from './config.ts';
import type { DreamTrigger, WatchEventBody } from './events.ts';
import { tryHold } from './hold-lock.ts';
import { DREAM_HISTORY, type WatchState } from './state.ts';

export interface SchedulerContext {
  paths: RootPaths;
  config: Readonly<WatchConfig>;
  runConfig: RunConfig;
  state: WatchState;
  pool: TaskPool;
  hooks: RunHooks;
  save(): Promise<void>;
  emit(e: WatchEventBody): void;
}

function storeOf(d: DreamRecord): string {
  const input = d.inputs.find((i) => i.type === 'memory_store');
  return input && input.type === 'memory_store' ? input.memory_store_id : '';
}

function sessionsOf(d: DreamRecord): string[] {
  const input = d.inputs.find((i) => i.type === 'sessions');
  return input && input.type === 'sessions' ? input.session_ids : [];
}

/** A store held by another dream or watch: wait and try again, never run two at once. */
function isHeld(e: unknown): boolean {
  return (
    e instanceof ConflictError &&
    ['target_store_held', 'dream_in_progress', 'watch_store_busy'].includes(e.code)
  );
}

/**
 * Decides when to dream and runs one dream at a time: after `every` pending sessions or
 * `afterMs` after the oldest pending one arrived, whichever comes first. Each dream reads the
 * state's current store (with create_new, the newest output of the chain) and takes at most
 * --max-sessions sessions, so it is exactly one dream, recorded as in flight while it runs.
 */
export class DreamScheduler {
  private timer: NodeJS.Timeout | null = null;
  private retrying = false;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly ctx: SchedulerContext) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * After a restart: a dream recorded in flight is settled if it ended, resumed if not. A dream
   * created just before a crash, too early to be recorded, is found by its inputs and adopted.
   */
  async recover(): Promise<void> {
    const { state, paths } = this.ctx;
    const repo = new DreamRepo(paths);
    if (!state.in_flight && state.pending.length > 0) {
      const pending = new Set(state.pending.map((p) => p.session_id));
      const since = state.pending[0]!.imported_at;
      const found = (await repo.list({ include_archived: true }))
        .filter(
          (d) =>
            storeOf(d) === state.store_id &&
            d.created_at >= since &&
            sessionsOf(d).every((s) => pending.has(s)),
        )
        .sort((a, b) => a.created_at.localeCompare(b.created_at))
        .pop();
      if (found) state.in_flight = { dream_id: found.id, session_ids: sessionsOf(found) };
    }
    if (!state.in_flight) return;
    const dream = await repo.get(state.in_flight.dream_id).catch((e: unknown) => {
      if (e instanceof NotFoundError) return null;
      throw e;
    });
    if (!dream) {
      state.in_flight = null; // its sessions are still pending: the next dream takes them
      await this.ctx.save();
    } else if (isFinal(dream.status)) {
      await this.settle(dream, state.in_flight.session_ids);
    } else {
      this.launch('resume');
    }
  }

  /** Re-evaluate the triggers: after an import, at start, after a dream. */
  poke(): void {
    const { state, config } = this.ctx;
    if (this.stopped || this.running || this.retrying) return;
    if (state.pending.length === 0) return this.clearTimer();
    if (state.pending.length >= config.every) return this.launch('count');
    if (this.timer) return;
    const due = Date.parse(state.pending[0]!.imported_at) + config.afterMs;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (!this.stopped && !this.running && state.pending.length > 0) this.launch('timer');
      },
      Math.max(0, due - Date.now()),
    );
  }

  /** No new dream starts; the one running (if any) finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retrying = false;
  }

  private launch(trigger: DreamTrigger): void {
    this.clearTimer();
    this.running = this.runOne(trigger)
      .catch((e: unknown) => this.reportError(e)) // the lock folder unwritable, …: reported, the watch goes on
      .finally(() => {
        this.running = null;
        this.poke();
      });
  }

  private reportError(e: unknown): void {
    this.ctx.emit({
      type: 'error',
      code: isDreamworkError(e) ? e.code : 'internal',
      message: (e as Error).message,
    });
  }

  private retryLater(trigger: DreamTrigger, storeId: string, reason: string): void {
    const { config } = this.ctx;
    this.ctx.emit({ type: 'waiting', store_id: storeId, reason, retry_ms: config.retryMs });
    if (this.stopped) return;
    this.retrying = true;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retrying = false;
      if (!this.stopped) this.launch(trigger);
    }, config.retryMs);
  }

  private async runOne(trigger: DreamTrigger): Promise<void> {
    const { state, paths, config } = this.ctx;
    const inputStore = state.store_id;
    let lock;
    try {
      // Two watches (or a watch and `dream serve`) on one store take turns.
      lock = await tryHold(join(paths.locksDir, `watch-store-${inputStore}.lock`), () => {
        return new ConflictError(
          'watch_store_busy',
          `memory store ${inputStore} is being dreamed on by another watch`,
        );
      });
    } catch (e) {
      if (isHeld(e)) return this.retryLater(trigger, inputStore, (e as Error).message);
      throw e;
    }
    try {
      const done = state.in_flight
        ? await this.resume(state.in_flight.dream_id)
        : await this.startNew(trigger, inputStore);
      await this.settle(done, sessionsOf(done));
    } catch (e) {
      if (isHeld(e)) return this.retryLater(trigger, inputStore, (e as Error).message);
      // Anything else (the store archived or deleted, a broken config): report it, keep the
      // sessions pending, and try again after the timer rather than spin.
      this.reportError(e);
      if (this.stopped) return;
      this.retrying = true;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.retrying = false;
        this.poke();
      }, config.afterMs);
    } finally {
      await lock.release();
    }
  }

  private async resume(dreamId: string): Promise<DreamRecord> {
    const { paths, pool, hooks } = this.ctx;
    const dream = await new DreamRepo(paths).get(dreamId);
    this.ctx.emit({
      type: 'dream_started',
      dream_id: dream.id,
      store_id: storeOf(dream),
      session_ids: sessionsOf(dream),
      trigger: 'resume',
    });
    return runDream(paths, dream.id, hooks, pool);
  }

  private async startNew(trigger: DreamTrigger, storeId: string): Promise<DreamRecord> {
    const { state, paths, config, runConfig, pool, hooks } = this.ctx;
    const cap = config.request.maxSessions ?? DEFAULT_MAX_SESSIONS;
    const take = state.pending.slice(0, cap).map((p) => p.session_id);
    let saved: Promise<void> = Promise.resolve();
    const dreams = await dreamOverSessions(
      paths,
      take,
      { ...config.request, storeId },
      runConfig,
      {
        ...hooks,
        onDreamStart: (d) => {
          state.in_flight = { dream_id: d.id, session_ids: take };
          saved = this.ctx.save().catch((e: unknown) => this.reportError(e));
          this.ctx.emit({
            type: 'dream_started',
            dream_id: d.id,
            store_id: storeId,
            session_ids: take,
            trigger,
          });
        },
      },
      pool,
    );
    await saved;
    return dreams[0]!;
  }

  /** A dream ended: its sessions leave `pending` whatever the outcome (a failed dream is not retried forever). */
  private async settle(dream: DreamRecord, sessionIds: string[]): Promise<void> {
    const { state } = this.ctx;
    const taken = new Set(sessionIds);
    const inputStore = storeOf(dream);
    state.pending = state.pending.filter((p) => !taken.has(p.session_id));
    state.in_flight = null;
    const output = dream.outputs[0]?.memory_store_id ?? null;
    // create_new: the chain continues from the newest store.
    if (dream.status === 'completed' && output && dream.output_behavior.type === 'create_new')
      state.store_id = output;
    state.dreams.push({
      dream_id: dream.id,
      status: dream.status,
      input_store_id: inputStore,
      output_store_id: output,
      session_count: sessionIds.length,
      error: dream.error ? `${dream.error.type}: ${dream.error.message}` : null,
    });
    state.dreams = state.dreams.slice(-DREAM_HISTORY);
    await this.ctx.save();
    this.ctx.emit({
      type: 'dream_finished',
      dream_id: dream.id,
      status: dream.status,
      store_id: inputStore,
      output_store_id: output,
      error: dream.error ? { type: dream.error.type, message: dream.error.message } : null,
      pending: state.pending.length,
    });
  }
}
