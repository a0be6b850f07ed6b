import { getSession } from '../../sessions/store.ts';
import { groupByKey } from './by-source.ts';
import { requireContext, toBatches, type BatchingStrategy } from './types.ts';
import { requireRange } from './options.ts';

const HOUR_MS = 3_600_000;

export const timeWindow: BatchingStrategy = {
  name: 'time-window',
  description:
    'Groups sessions by when they happened: windows of `window-hours` (default 24) of the first timestamp found ' +
    'in each session, windows in time order, each cut into batches of at most `batch-size` (default 8). Sessions ' +
    'with no timestamp form one last group. A worker sees what happened in one period (a bad deploy, a flaky day).',
  defaults: { 'window-hours': 24, 'batch-size': 8 },
  validate(options) {
    requireRange('time-window', options, 'batch-size', 1, Number.MAX_SAFE_INTEGER, true);
    requireRange('time-window', options, 'window-hours', 1 / 60, 24 * 366);
  },
  async plan(sessions, options, context) {
    const { paths } = requireContext('time-window', context);
    const width = (options['window-hours'] ?? 24) * HOUR_MS;
    const keys = new Map<string, string>();
    for (const s of sessions) {
      const started = (await getSession(paths, s.id)).started_at;
      const t = started === null ? NaN : Date.parse(started);
      // Window numbers padded so string order is time order; undated sorts last.
      keys.set(s.id, Number.isNaN(t) ? '~undated' : String(Math.floor(t / width) + 1e12).padStart(16, '0'));
    }
    return toBatches(groupByKey(sessions, keys, Math.floor(options['batch-size'] ?? 8)));
  },
};
