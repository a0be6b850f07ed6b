import { Command, Option } from 'commander';
import { InvalidInputError } from '../../core/errors.ts';
import { buildWatchConfig, WATCH_DEFAULTS } from '../../watch/config.ts';
import type { WatchEvent } from '../../watch/events.ts';
import { Watcher } from '../../watch/watcher.ts';
import { openContext, type Context } from '../context.ts';
import { positiveInt } from '../parse.ts';
import { addDreamOptions, toRunRequest } from './run.ts';

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidInputError(
        'invalid_option',
        `${name}: expected a positive number, got ${JSON.stringify(value)}`,
      );
    return n;
  };
}

type WatchOptions = Parameters<typeof toRunRequest>[1] & {
  every: number;
  afterMinutes: number;
  afterSeconds?: number;
  settleMs: number;
  glob?: string;
  name: string;
};

/** One progress line per event for people; --json gets the event itself. */
function describe(e: WatchEvent): string {
  switch (e.type) {
    case 'ready':
      return `watching ${e.dirs.join(', ')} (watch "${e.name}", store ${e.store_id}, ${e.pending} session(s) pending)`;
    case 'imported':
      return `imported ${e.path} → ${e.session_id}${e.status === 'existing' ? ' (already known)' : ''} · ${e.pending} pending`;
    case 'refused':
      return `refused ${e.path}: ${e.reason}`;
    case 'dream_started':
      return `dream ${e.dream_id} over ${e.session_ids.length} session(s) on ${e.store_id} (${e.trigger})`;
    case 'dream_finished':
      return `dream ${e.dream_id}: ${e.status}${e.output_store_id ? ` → ${e.output_store_id}` : ''}${e.error ? ` (${e.error.type}: ${e.error.message})` : ''} · ${e.pending} pending`;
    case 'waiting':
      return `waiting: ${e.reason}; trying again in ${Math.round(e.retry_ms / 1000)} s`;
    case 'error':
      return `error (${e.code}): ${e.message}`;
    case 'stopped':
      return `stopped; ${e.pending} session(s) pending for the next start`;
  }
}

function report(ctx: Context, e: WatchEvent): void {
  ctx.log.info(e, e.type);
  if (ctx.json) process.stdout.write(JSON.stringify(e) + '\n');
  else ctx.progress.line(describe(e));
}

/** Resolves when the process is asked to stop; a second signal leaves the running dream for `dream resume`. */
function untilSignal(ctx: Context, watcher: Watcher): Promise<void> {
  return new Promise((resolve) => {
    let asked = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (asked) {
        // Every write is atomic and the dream's owner is this (soon dead) process: the next
        // `dream` command or `dream watch` resumes it.
        ctx.progress.line(`${signal} again: leaving dream ${watcher.inFlight ?? ''} to resume later`);
        process.exit(130);
      }
      asked = true;
      const inFlight = watcher.inFlight;
      ctx.progress.line(
        inFlight
          ? `stopping: waiting for dream ${inFlight} to finish (${signal} again to leave it resumable)`
          : 'stopping…',
      );
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function watchCommand(): Command {
  const cmd = new Command('watch')
    .description(
      'Watch directories: import transcripts and build logs as they land, dream after N new sessions or T minutes',
    )
    .argument('<dirs...>', 'directories to watch (recursively)');
  addDreamOptions(cmd)
    .option(
      '--every <n>',
      'dream once this many new sessions are pending',
      positiveInt('--every'),
      WATCH_DEFAULTS.every,
    )
    .option(
      '--after-minutes <t>',
      'dream this long after the oldest pending session arrived',
      positiveNumber('--after-minutes'),
      WATCH_DEFAULTS.afterMs / 60_000,
    )
    .addOption(
      new Option('--after-seconds <s>', 'the same in seconds (overrides --after-minutes)').argParser(
        positiveNumber('--after-seconds'),
      ),
    )
    .option(
      '--settle-ms <ms>',
      'import a file once its size and mtime are unchanged this long',
      positiveInt('--settle-ms'),
      WATCH_DEFAULTS.settleMs,
    )
    .option(
      '--glob <pattern>',
      "only files matching this (relative to the watched directory; '*.log' matches at any depth)",
    )
    .option('--name <name>', "the watch's state file, <root>/watch/<name>.json", WATCH_DEFAULTS.name)
    .action(async (dirs: string[], opts: WatchOptions, self: Command) => {
      const ctx = await openContext(self);
      const { inputs: _inputs, ...request } = toRunRequest([], opts);
      const config = await buildWatchConfig({
        name: opts.name,
        dirs,
        glob: opts.glob ?? null,
        every: opts.every,
        afterMs: opts.afterSeconds !== undefined ? opts.afterSeconds * 1000 : opts.afterMinutes * 60_000,
        settleMs: opts.settleMs,
        request,
      });
      const watcher = new Watcher(ctx.paths, config, {
        hooks: {
          onProgress: (p) =>
            ctx.progress.update(`extracting: batch ${p.done}/${p.total} · ${p.findings} findings`),
          onEvaluation: (ev) =>
            ctx.log.info({ iteration: ev.iteration, result: ev.result }, 'grader evaluation'),
        },
      });
      watcher.on('event', (e) => report(ctx, e));
      const stop = untilSignal(ctx, watcher);
      await watcher.start();
      await stop;
      await watcher.stop();
    });
  return cmd;
}
