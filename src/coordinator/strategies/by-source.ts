import { getSession } from '../../sessions/store.ts';
import { cmpStr } from '../../merger/canonical.ts';
import { chunk, requireContext, toBatches, type BatchingStrategy, type SessionSummary } from './types.ts';
import { requireRange } from './options.ts';

/** The directory part of a path as it was given at import, `/` or `\` separated. */
function parentDir(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut < 0 ? '.' : path.slice(0, cut);
}

/** Group sessions by key (groups in key order, so the plan does not depend on input order), capped at `size`. */
export function groupByKey(sessions: readonly SessionSummary[], keyOf: ReadonlyMap<string, string>, size: number): SessionSummary[][] {
  const groups = new Map<string, SessionSummary[]>();
  for (const s of sessions) {
    const k = keyOf.get(s.id) ?? '';
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => cmpStr(a, b))
    .flatMap(([, g]) => chunk([...g].sort((a, b) => a.sequence - b.sequence), size));
}

export const bySource: BatchingStrategy = {
  name: 'by-source',
  description:
    'Groups sessions by where they came from: their source format (CI log, Claude Code, Messages, …) and the ' +
    "directory of the file they were imported from (a job's or a repository's runs usually share one), groups " +
    'in key order, each cut into batches of at most `batch-size` (default 8). A worker sees one job at a time.',
  defaults: { 'batch-size': 8 },
  validate(options) {
    requireRange('by-source', options, 'batch-size', 1, Number.MAX_SAFE_INTEGER, true);
  },
  async plan(sessions, options, context) {
    const { paths } = requireContext('by-source', context);
    const keys = new Map<string, string>();
    for (const s of sessions) {
      const session = await getSession(paths, s.id);
      keys.set(s.id, `${session.format}\u0000${parentDir(session.source.path)}`);
    }
    return toBatches(groupByKey(sessions, keys, Math.floor(options['batch-size'] ?? 8)));
  },
};
