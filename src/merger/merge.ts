/**
 * The merger: input store + findings (+ the grader's gaps) → candidate store.
 *
 *   findings ─► canonicalFindings (validate, redact, sort) ─┐
 *   input store ─► parseMemory ─► memories of a past dream ─┼─► nodes ─► groupNodes (kind+key, near-dup titles)
 *                            └─► foreign (kept byte-identical)  │
 *                                                     base paths (never depend on revisions)
 *                                                               │
 *                                         applyRevisions (gaps) ─► buildAndFit ─► cap count ─► index
 *
 * Pure and deterministic: plain data in and out, no clock, no randomness, no I/O, so it runs the
 * same in any thread and gives the same bytes whatever order the findings came in.
 */
import type { Finding } from '../engine/findings.ts';
import { MAX_MEMORIES_PER_STORE } from '../memory/limits.ts';
import type { Evidence } from '../engine/findings.ts';
import { canonicalFindings, cmpStr } from './canonical.ts';
import { buildAndFit } from './fit.ts';
import { groupNodes } from './group.ts';
import { assignPath } from './layout.ts';
import { cmpOrder, findingNode, inputNode, latestNode, type Node } from './nodes.ts';
import { parseMemory } from './parse.ts';
import { isGeneratedIndex, renderIndex } from './readme.ts';
import { renderMemory } from './render.ts';
import { applyRevisions, type ForeignMemory, type Group } from './revise.ts';
import type { MemoryEntry, MergeOptions, MergeReport, StoreSnapshot } from './types.ts';
import { valueMatters } from './similar.ts';

export interface MergeResult {
  store: StoreSnapshot;
  entries: MemoryEntry[];
  /** Memories kept byte-identical on request (still graded, so their evidence is resolved too). */
  preserved: MemoryEntry[];
  report: MergeReport;
}

const INDEX_CANDIDATES = ['/README.md', '/INDEX.md', '/dreamwork-index.md'];

/** Every piece of evidence a memory cites, current and superseded: what the coordinator resolves. */
export function citedEvidence(entry: MemoryEntry): Evidence[] {
  return [...entry.evidence, ...entry.history.flatMap((h) => h.evidence)];
}

export function merge(input: StoreSnapshot, findings: readonly Finding[], opts: MergeOptions = {}): MergeResult {
  const warnings: string[] = [];
  // Preserved memories (the dream's `preserve:` directive) are kept byte-identical: never merged,
  // revised or re-rendered; findings about the same keys are left out rather than duplicated.
  const preservePaths = new Set(opts.preserve ?? []);
  const preserved = input.filter((m) => preservePaths.has(m.path) && !isGeneratedIndex(m.content));
  const preservedKeys = new Set(preserved.flatMap((m) => parseMemory(m.path, m.content)?.keys ?? []));
  const kept = findings.filter((f) => !preservedKeys.has(f.key));
  if (kept.length < findings.length) warnings.push(`${findings.length - kept.length} finding(s) left out: their memory is preserved`);
  const canon = canonicalFindings(kept, warnings);

  // Split the input store: our own index (regenerated), our memories (merged), the rest (kept).
  const foreign: ForeignMemory[] = [];
  const nodes: Node[] = [];
  const inputByPath = new Map(input.map((m) => [m.path, m.content]));
  for (const m of [...input].sort((a, b) => cmpStr(a.path, b.path))) {
    if (isGeneratedIndex(m.content) || preserved.includes(m)) continue;
    const entry = parseMemory(m.path, m.content);
    if (entry) nodes.push(inputNode(entry, m.content));
    else foreign.push({ path: m.path, content: m.content });
  }
  for (const f of canon) nodes.push(findingNode(f));

  const indexPath = INDEX_CANDIDATES.find((p) => !foreign.some((f) => f.path === p) && !preservePaths.has(p)) ?? INDEX_CANDIDATES.at(-1)!;
  const taken = new Set<string>([indexPath, ...preserved.map((m) => m.path), ...foreign.map((f) => f.path), ...nodes.flatMap((n) => (n.type === 'input' ? [n.entry.path] : []))]);

  // Base groups and their paths: a memory from the input keeps its path; a new one gets a path
  // from its latest title and smallest key, assigned in key order so collisions resolve the same way.
  const groups: Group[] = groupNodes(nodes).map((idx) => {
    const members = idx.map((i) => nodes[i]!);
    const inputPaths = members.flatMap((n) => (n.type === 'input' ? [n.entry.path] : [])).sort(cmpStr);
    return {
      path: inputPaths[0] ?? '',
      kind: members[0]!.kind,
      nodes: members,
      touched: !(members.length === 1 && members[0]!.type === 'input'),
      dropped: null,
    };
  });
  const primaryKey = (g: Group): string => [...new Set(g.nodes.flatMap((n) => n.keys))].sort(cmpStr)[0]!;
  const fresh = groups.filter((g) => g.path === '').sort((a, b) => cmpStr(a.kind, b.kind) || cmpStr(primaryKey(a), primaryKey(b)));
  for (const g of fresh) {
    g.path = assignPath(g.kind, latestNode(g.nodes).title, primaryKey(g), taken);
    taken.add(g.path);
  }

  const revisions = applyRevisions(groups, foreign, opts.revisions ?? []);
  const removed: MergeReport['removed'] = [];
  const built: { entry: MemoryEntry; content: string; group: Group }[] = [];
  for (const g of revisions.groups) {
    const inputPaths = g.nodes.flatMap((n) => (n.type === 'input' ? [n.entry.path] : []));
    if (g.dropped !== null || g.nodes.length === 0) {
      for (const p of inputPaths) removed.push({ path: p, reason: g.dropped ?? 'no evidence left' });
      continue;
    }
    for (const p of inputPaths) if (p !== g.path) removed.push({ path: p, reason: `merged into ${g.path}` });
    const only = g.nodes[0]!;
    if (!g.touched && g.nodes.length === 1 && only.type === 'input') {
      built.push({ entry: only.entry, content: only.content, group: g });
    } else {
      built.push({ ...buildAndFit(g.path, g.kind, g.nodes, warnings), group: g });
    }
  }

  // A model merger's rewrites of a lesson's wording (title, body); provenance stays the merger's.
  for (const b of built) {
    const rw = opts.rewrites?.[b.entry.path];
    if (!rw) continue;
    b.entry = { ...b.entry, title: rw.title, body: rw.body };
    b.content = renderMemory(b.entry);
  }

  // Store limit: the index and hand-written memories always stay; lowest-ranked memories go.
  const room = MAX_MEMORIES_PER_STORE - 1 - foreign.length - preserved.length;
  const dropped_over_limit: string[] = [];
  if (built.length > room) {
    built.sort((a, b) => rank(b.entry, a.entry));
    for (const b of built.splice(Math.max(0, room))) {
      dropped_over_limit.push(b.entry.path);
      removed.push({ path: b.entry.path, reason: `store limit of ${MAX_MEMORIES_PER_STORE} memories: lowest-ranked` });
    }
  }
  built.sort((a, b) => cmpStr(a.entry.path, b.entry.path));

  const entries = built.map((b) => b.entry);
  const store: StoreSnapshot = [
    ...built.map((b) => ({ path: b.entry.path, content: b.content })),
    ...foreign.map((f) => ({ path: f.path, content: f.content })),
    ...preserved.map((m) => ({ path: m.path, content: m.content })),
    { path: indexPath, content: renderIndex(entries, [...foreign, ...preserved]) },
  ].sort((a, b) => cmpStr(a.path, b.path));

  const outPaths = new Set(store.map((m) => m.path));
  const report: MergeReport = {
    memories: store.length,
    index_path: indexPath,
    created: store.filter((m) => !inputByPath.has(m.path)).map((m) => m.path),
    updated: store.filter((m) => inputByPath.has(m.path) && inputByPath.get(m.path) !== m.content).map((m) => m.path),
    unchanged: store.filter((m) => inputByPath.get(m.path) === m.content).map((m) => m.path),
    removed: dedupeRemoved(removed.filter((r) => !outPaths.has(r.path))),
    foreign: foreign.map((f) => f.path).sort(cmpStr),
    merged: entries.filter((e) => e.keys.length > 1).map((e) => ({ path: e.path, keys: e.keys })),
    contradictions: built
      .filter((b) => valueMatters(b.entry.kind) && b.entry.history.length > 0 && b.entry.value !== null)
      .map((b) => ({ path: b.entry.path, keys: b.entry.keys, current: b.entry.value!, superseded: b.entry.history.map((h) => h.value) })),
    dropped_over_limit: dropped_over_limit.sort(cmpStr),
    revisions: revisions.outcomes,
    warnings,
  };
  return { store, entries, preserved: preserved.flatMap((m) => parseMemory(m.path, m.content) ?? []), report };
}

/** Higher rank = kept first under the memory limit: seen more, more confident, seen more recently. */
function rank(a: MemoryEntry, b: MemoryEntry): number {
  return (
    a.occurrences - b.occurrences ||
    a.confidence - b.confidence ||
    cmpOrder({ time: a.last_seen.at, epoch: 0, seq: 0, tie: '' }, { time: b.last_seen.at, epoch: 0, seq: 0, tie: '' }) ||
    cmpStr(b.path, a.path)
  );
}

function dedupeRemoved(list: MergeReport['removed']): MergeReport['removed'] {
  const seen = new Map<string, string>();
  for (const r of list) if (!seen.has(r.path)) seen.set(r.path, r.reason);
  return [...seen.entries()].sort(([a], [b]) => cmpStr(a, b)).map(([path, reason]) => ({ path, reason }));
}
