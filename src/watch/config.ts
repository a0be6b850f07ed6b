import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidInputError } from '../core/errors.ts';
import type { RunRequest } from '../app/run.ts';
import { DEFAULT_MAX_SESSIONS } from '../dreams/validate.ts';

/**
 * What a watch needs, validated once and frozen: the CLI (`dream watch`) and the server
 * (`dream serve` with a watch config) both build one of these and hand it to a Watcher.
 */
export interface WatchConfig {
  /** Names the state file `<root>/watch/<name>.json`; one running watcher per name. */
  name: string;
  /** Directories watched recursively (absolute after validation). */
  dirs: string[];
  /** Only files whose path relative to their watched directory matches (a bare `*.log` matches at any depth). */
  glob: string | null;
  /** Dream once this many new sessions are pending… */
  every: number;
  /** …or this long after the oldest pending session arrived, whichever comes first. */
  afterMs: number;
  /** A file is imported once its size and mtime have not changed for this long. */
  settleMs: number;
  /** How long to wait before trying again when the store is held by another dream. */
  retryMs: number;
  /** The dream options of `dream run` (store, engine, rubric, output behavior …), minus the inputs. */
  request: Omit<RunRequest, 'inputs'>;
}

export const WATCH_DEFAULTS = {
  name: 'default',
  every: 20,
  afterMs: 30 * 60_000,
  settleMs: 2_000,
  retryMs: 5_000,
} as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type WatchConfigInput = Partial<Omit<WatchConfig, 'dirs' | 'request'>> &
  Pick<WatchConfig, 'dirs' | 'request'>;

function positive(field: string, value: number, integer: boolean): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new InvalidInputError(
      'invalid_watch_option',
      `${field}: expected a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export async function buildWatchConfig(input: WatchConfigInput): Promise<Readonly<WatchConfig>> {
  const name = input.name ?? WATCH_DEFAULTS.name;
  if (!NAME.test(name)) {
    // The name becomes a file name under the root: no separators, no leading dot.
    throw new InvalidInputError(
      'invalid_watch_name',
      `--name: ${JSON.stringify(name)} must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  if (input.dirs.length === 0)
    throw new InvalidInputError('watch_dir_missing', 'dream watch: name at least one directory to watch');
  const dirs: string[] = [];
  for (const d of input.dirs) {
    const abs = resolve(d);
    const st = await stat(abs).catch(() => null);
    if (!st) throw new InvalidInputError('watch_dir_missing', `${d}: no such directory to watch`);
    if (!st.isDirectory())
      throw new InvalidInputError(
        'watch_not_directory',
        `${d}: not a directory (dream watch watches directories; use --glob to pick files)`,
      );
    if (!dirs.includes(abs)) dirs.push(abs);
  }
  const glob = input.glob ?? null;
  if (glob !== null && glob.trim() === '')
    throw new InvalidInputError('invalid_watch_option', '--glob: must not be empty');
  const every = positive('--every', input.every ?? WATCH_DEFAULTS.every, true);
  const cap = input.request.maxSessions ?? DEFAULT_MAX_SESSIONS;
  if (every > cap) {
    throw new InvalidInputError(
      'invalid_watch_option',
      `--every: ${every} is more than --max-sessions ${cap}, the most sessions one dream can take`,
    );
  }
  return Object.freeze({
    name,
    dirs,
    glob,
    every,
    afterMs: positive('--after-minutes', input.afterMs ?? WATCH_DEFAULTS.afterMs, false),
    settleMs: positive('--settle-ms', input.settleMs ?? WATCH_DEFAULTS.settleMs, true),
    retryMs: positive('retryMs', input.retryMs ?? WATCH_DEFAULTS.retryMs, true),
    request: input.request,
  });
}
