/**
 * `dream watch`, as a class the CLI and the server share:
 *
 *   chokidar (dirs, --glob, settle: size+mtime stable for settleMs)
 *      └─► add/change ─► import lane (one file at a time) ─► state.files + state.pending ─► save
 *                                                                      │
 *   DreamScheduler: every N pending or T after the oldest ─► one dream at a time on state.store_id
 *      └─► dream_finished ─► pending shrinks; create_new: store_id = the new output store ─► save
 *
 * Every state change is saved atomically before its event is emitted, so what a listener has
 * been told survives a kill.
 */
import { EventEmitter, once } from 'node:events';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { buildRunConfig } from '../app/run.ts';
import { TaskPool } from '../coordinator/pool.ts';
import type { RunHooks } from '../coordinator/run-dream.ts';
import { nowIso } from '../core/clock.ts';
import { ConflictError, DreamworkError, InvalidInputError, isDreamworkError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { importSessions } from '../sessions/import.ts';
import type { WatchConfig } from './config.ts';
import type { WatchEvent, WatchEventBody } from './events.ts';
import { PathFilter } from './filter.ts';
import { settledFilesUnder } from './rescan.ts';
import { tryHold, type HeldLock } from './hold-lock.ts';
import { DreamScheduler } from './scheduler.ts';
import { loadState, newState, stateFile, StateWriter, watchDir, type WatchState } from './state.ts';

export interface WatcherOptions {
  /** Dream progress (phases, batches, grader rounds), passed through to every dream. */
  hooks?: RunHooks;
}

export interface WatchStatus {
  name: string;
  dirs: string[];
  store_id: string;
  pending: string[];
  in_flight: string | null;
  dreams: WatchState['dreams'];
}

export class Watcher extends EventEmitter<{ event: [WatchEvent] }> {
  private readonly filter: PathFilter;
  private readonly writer: StateWriter;
  private state: WatchState | null = null;
  private known = new Set<string>();
  private fsw: FSWatcher | null = null;
  private pool: TaskPool | null = null;
  private lock: HeldLock | null = null;
  private scheduler: DreamScheduler | null = null;
  private queue = new Set<string>();
  private draining: Promise<void> | null = null;
  private phase: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly paths: RootPaths,
    readonly config: Readonly<WatchConfig>,
    private readonly opts: WatcherOptions = {},
  ) {
    super();
    this.filter = new PathFilter(config.dirs, paths.root, config.glob);
    this.writer = new StateWriter(stateFile(paths, config.name));
  }

  /**
   * Validate the dream options and the store, take the watch's lock, recover from a previous
   * run (finish its dream, keep its pending sessions), then watch. Resolves once the initial
   * scan is done; files already there are imported like new ones, unless already recorded.
   */
  async start(): Promise<void> {
    if (this.phase !== 'new')
      throw new DreamworkError('watch_started', `watch "${this.config.name}" was already started`);
    this.phase = 'starting';
    try {
      const runConfig = await buildRunConfig({ ...this.config.request, inputs: [] });
      const file = stateFile(this.paths, this.config.name);
      this.lock = await tryHold(join(watchDir(this.paths), `${this.config.name}.lock`), () => {
        return new ConflictError(
          'watch_running',
          `watch "${this.config.name}" is already running on this root (state: ${file}); stop it or use another --name`,
        );
      });
      this.state = await this.loadOrCreate(file);
      for (const f of Object.values(this.state.files)) if (f.session_id) this.known.add(f.session_id);
      for (const p of this.state.pending) this.known.add(p.session_id);
      this.pool = TaskPool.create(runConfig.workers);
      this.scheduler = new DreamScheduler({
        paths: this.paths,
        config: this.config,
        runConfig,
        state: this.state,
        pool: this.pool,
        hooks: this.opts.hooks ?? {},
        save: () => this.writer.save(this.state!),
        emit: (e) => this.emit_(e),
      });
      await this.scheduler.recover();
      this.fsw = watch(this.config.dirs, {
        ignored: this.filter.ignored,
        ignoreInitial: false,
        awaitWriteFinish: {
          stabilityThreshold: this.config.settleMs,
          pollInterval: Math.max(10, Math.min(100, Math.floor(this.config.settleMs / 4))),
        },
      });
      this.fsw.on('add', (p) => this.enqueue(p));
      this.fsw.on('change', (p) => this.enqueue(p));
      this.fsw.on('addDir', (d) => this.rescan(d));
      this.fsw.on('error', (e) =>
        this.emit_({ type: 'error', code: 'watch_fs_error', message: (e as Error).message }),
      );
      await once(this.fsw, 'ready');
      this.phase = 'running';
      this.emit_({
        type: 'ready',
        name: this.config.name,
        dirs: [...this.config.dirs],
        store_id: this.state.store_id,
        pending: this.state.pending.length,
      });
      this.scheduler.poke();
    } catch (e) {
      await this.teardown();
      this.phase = 'stopped';
      throw e;
    }
  }

  /**
   * Stop watching; the file being imported finishes, files not yet imported are left for the
   * next start (they are not in the state), the dream running finishes. Safe to call twice.
   */
  stop(): Promise<void> {
    if (this.phase === 'new' || this.phase === 'stopped') return Promise.resolve();
    this.stopping ??= (async () => {
      this.phase = 'stopping';
      await this.teardown();
      this.phase = 'stopped';
    })();
    return this.stopping;
  }

  /** The dream running now, if any (so a caller can tell a person what stop() waits for). */
  get inFlight(): string | null {
    return this.state?.in_flight?.dream_id ?? null;
  }

  status(): WatchStatus {
    const s = this.state;
    return {
      name: this.config.name,
      dirs: [...this.config.dirs],
      store_id: s?.store_id ?? '',
      pending: s?.pending.map((p) => p.session_id) ?? [],
      in_flight: s?.in_flight?.dream_id ?? null,
      dreams: s ? [...s.dreams] : [],
    };
  }

  private async teardown(): Promise<void> {
    await this.fsw?.close();
    this.fsw = null;
    this.queue.clear();
    await this.draining;
    await this.scheduler?.stop();
    await this.writer.flush();
    await this.pool?.destroy();
    this.pool = null;
    if (this.state && this.phase === 'stopping') {
      this.emit_({
        type: 'stopped',
        pending: this.state.pending.length,
        in_flight: this.state.in_flight?.dream_id ?? null,
      });
    }
    await this.lock?.release();
    this.lock = null;
  }

  private async loadOrCreate(file: string): Promise<WatchState> {
    const stores = new MemoryStoreRepo(this.paths);
    const wanted = this.config.request.storeId;
    const existing = await loadState(this.paths, this.config.name);
    if (existing) {
      if (wanted && wanted !== existing.origin_store_id && wanted !== existing.store_id) {
        throw new InvalidInputError(
          'watch_store_mismatch',
          `--store ${wanted}: watch "${this.config.name}" (${file}) dreams on ${existing.store_id} (started on ${existing.origin_store_id}); use another --name for another store`,
        );
      }
      await stores.getStore(existing.store_id);
      return existing;
    }
    const storeId = wanted
      ? (await stores.getStore(wanted)).id
      : (
          await stores.createStore({
            name: `watch ${this.config.name}`,
            description: 'Empty input store created by dream watch',
          })
        ).id;
    const state = newState(this.config.name, storeId);
    await this.writer.save(state);
    return state;
  }

  private emit_(e: WatchEventBody): void {
    this.emit('event', { at: nowIso(), ...e } as WatchEvent);
  }

  private enqueue(path: string): void {
    if (this.phase !== 'running' && this.phase !== 'starting') return;
    if (!this.filter.accepts(path)) return;
    this.queue.add(path);
    this.draining ??= this.drain();
  }

  /** Files written into a new directory before chokidar watched it (see rescan.ts). */
  private rescan(dir: string): void {
    if (this.phase !== 'running') return; // the initial scan reads everything already
    void settledFilesUnder(dir, (p) => this.filter.accepts(p), this.config.settleMs).then((files) => {
      for (const path of files) {
        const seen = this.state?.files[path];
        if (!seen) this.enqueue(path); // importOne skips what chokidar reported meanwhile
      }
    });
  }

  /**
   * One file at a time: imports are quick next to dreams, and the state stays simple. The lane
   * closes (draining = null) in the same synchronous step that finds the queue empty: closing it
   * in a later .finally() left a window in which a file enqueued saw a lane still open, and waited
   * forever.
   */
  private async drain(): Promise<void> {
    try {
      for (let path = first(this.queue); path !== undefined; path = first(this.queue)) {
        this.queue.delete(path);
        try {
          await this.importOne(path);
        } catch (e) {
          this.emit_({
            type: 'error',
            code: isDreamworkError(e) ? e.code : 'internal',
            message: `${path}: ${(e as Error).message}`,
          });
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private async importOne(path: string): Promise<void> {
    const state = this.state!;
    const st = await stat(path).catch(() => null);
    if (!st?.isFile()) return; // gone again before it settled
    const seen = state.files[path];
    if (seen && seen.size === st.size && seen.mtime_ms === st.mtimeMs) return; // imported before (maybe before a restart)
    const report = await importSessions(this.paths, [path]);
    const failed = report.failed[0];
    if (failed) {
      state.files[path] = { size: st.size, mtime_ms: st.mtimeMs, session_id: null, error: failed.reason };
      await this.writer.save(state);
      this.emit_({ type: 'refused', path, reason: failed.reason });
      return;
    }
    const session = report.imported[0] ?? report.existing[0];
    if (!session) return;
    state.files[path] = { size: st.size, mtime_ms: st.mtimeMs, session_id: session.id, error: null };
    // A session this watch already has (the same bytes under another name) is not dreamed twice.
    if (!this.known.has(session.id)) {
      this.known.add(session.id);
      state.pending.push({ session_id: session.id, imported_at: nowIso() });
    }
    await this.writer.save(state);
    this.emit_({
      type: 'imported',
      path,
      session_id: session.id,
      status: report.imported.length > 0 ? 'imported' : 'existing',
      pending: state.pending.length,
    });
    this.scheduler!.poke();
  }
}

function first<T>(set: Set<T>): T | undefined {
  return set.values().next().value;
}
