import type { FindingKind } from '../engine/findings.ts';
import { MAX_CONTENT_BYTES } from '../memory/limits.ts';
import { validateMemoryPath } from '../memory/paths.ts';
import { sha256Hex } from '../core/ids.ts';
import { evidenceKey } from '../outcomes/evidence-key.ts';
import type { Gap } from '../outcomes/schema.ts';
import { redact } from '../outcomes/secrets.ts';
import { cmpStr, stableJson } from './canonical.ts';
import { slugWords } from './layout.ts';
import type { Node } from './nodes.ts';
import type { RevisionOutcome } from './types.ts';

/** A memory-to-be: the nodes that make it up and the path it was given before any revision. */
export interface Group {
  path: string;
  kind: FindingKind;
  nodes: Node[];
  /** False only while the group is exactly one input memory nobody changed (kept byte-identical). */
  touched: boolean;
  dropped: string | null;
}

export interface ForeignMemory {
  path: string;
  content: string;
}

/**
 * Apply the grader's gaps. Gaps address memories by the path the candidate gave them, and
 * candidate paths never depend on revisions, so the same gaps always hit the same memories.
 * Gaps are applied in a fixed order (merges, drops, evidence, redaction, trims), each sorted by
 * content, so the outcome does not depend on how the grader listed them.
 */
export function applyRevisions(groups: Group[], foreign: ForeignMemory[], gaps: readonly Gap[]): { groups: Group[]; outcomes: RevisionOutcome[] } {
  const outcomes: RevisionOutcome[] = [];
  const sorted = [...gaps].sort((a, b) => cmpStr(stableJson(a), stableJson(b)));
  const phase = (actions: Gap['action'][]): Gap[] => sorted.filter((g) => actions.includes(g.action));

  // 1. Merges: union groups, the merged memory keeps the smallest path.
  const parent = new Map<Group, Group>();
  const root = (g: Group): Group => {
    let r = g;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  const byPath = (p: string | undefined): Group | undefined => {
    const g = p === undefined ? undefined : groups.find((x) => x.path === p);
    return g && root(g);
  };
  for (const gap of phase(['merge_entries', 'resolve_contradiction'])) {
    const a = byPath(gap.memory_path);
    const b = byPath(gap.other_path);
    if (!a || !b) outcomes.push({ gap, applied: false, note: 'no memory of this dream at one of the two paths (foreign memories are never merged)' });
    else if (a === b) outcomes.push({ gap, applied: true, note: 'already one memory' });
    else if (a.kind !== b.kind) outcomes.push({ gap, applied: false, note: `different kinds (${a.kind}, ${b.kind}) are not merged` });
    else {
      const [keep, gone] = cmpStr(a.path, b.path) <= 0 ? [a, b] : [b, a];
      keep.nodes = [...keep.nodes, ...gone.nodes];
      keep.touched = true;
      parent.set(gone, keep);
      outcomes.push({ gap, applied: true, note: `merged into ${keep.path}` });
    }
  }
  const live = groups.filter((g) => !parent.has(g));

  // 2. Drops.
  for (const gap of phase(['drop_entry'])) {
    const g = byPath(gap.memory_path);
    if (g) {
      g.dropped = `dropped on the grader's request: ${gap.problem}`;
      outcomes.push({ gap, applied: true, note: 'memory dropped' });
    } else outcomes.push({ gap, applied: false, note: 'not a memory of this dream; hand-written memories are never deleted' });
  }

  // 3. Evidence that does not verify: drop it, recount, drop what is left without evidence.
  for (const gap of phase(['drop_evidence'])) {
    const g = byPath(gap.memory_path);
    if (!g || gap.evidence_key === undefined) {
      outcomes.push({ gap, applied: false, note: g ? 'gap names no evidence_key' : 'no memory of this dream at this path' });
      continue;
    }
    g.nodes = g.nodes.flatMap((n) => dropEvidence(n, gap.evidence_key!));
    g.touched = true;
    if (g.nodes.length === 0) g.dropped = 'no evidence left after unverifiable evidence was removed';
    outcomes.push({ gap, applied: true, note: g.dropped ?? 'evidence removed and sessions recounted' });
  }

  // 4 & 5. Redaction and trimming: memories of this dream are always redacted and fitted when
  // rendered, so they only need re-rendering; foreign memories are fixed in place.
  for (const gap of phase(['redact', 'trim'])) {
    const g = byPath(gap.memory_path);
    if (g) {
      g.touched = true;
      outcomes.push({ gap, applied: true, note: 're-rendered (redacted and fitted to the limits)' });
      continue;
    }
    const f = foreign.find((x) => x.path === gap.memory_path);
    if (!f) {
      outcomes.push({ gap, applied: false, note: 'no memory at this path' });
      continue;
    }
    if (gap.action === 'redact') {
      const before = f.content;
      f.content = redact(f.content);
      outcomes.push({ gap, applied: before !== f.content, note: before !== f.content ? 'secrets redacted in a hand-written memory' : 'nothing to redact found' });
    } else {
      outcomes.push({ gap, applied: true, note: trimForeign(f, new Set(foreign.map((x) => x.path))) });
    }
  }
  return { groups: live, outcomes };
}

function dropEvidence(n: Node, key: string): Node[] {
  const keep = <T extends { session_id: string; event_id: string | null; lines: [number, number] | null }>(list: T[]): T[] =>
    list.filter((e) => evidenceKey(e) !== key);
  if (n.type === 'finding') {
    const evidence = keep(n.finding.evidence);
    return evidence.length === 0 ? [] : [{ ...n, finding: { ...n.finding, evidence } }];
  }
  const e = n.entry;
  const quotedBefore = new Set([...e.evidence, ...e.history.flatMap((h) => h.evidence)].map((x) => x.session_id));
  const evidence = keep(e.evidence);
  const history = e.history.map((h) => ({ ...h, evidence: keep(h.evidence) })).filter((h) => h.evidence.length > 0);
  const quotedAfter = new Set([...evidence, ...history.flatMap((h) => h.evidence)].map((x) => x.session_id));
  if (quotedAfter.size === 0) return [];
  // A session whose only quotes were removed no longer counts; unquoted sessions stand.
  const sessions = e.sessions.filter((s) => !quotedBefore.has(s) || quotedAfter.has(s));
  return [{ ...n, entry: { ...e, evidence, history, sessions, occurrences: sessions.length } }];
}

/** Give a hand-written memory a valid path and size without losing more than necessary. */
function trimForeign(f: ForeignMemory, taken: Set<string>): string {
  const notes: string[] = [];
  try {
    validateMemoryPath(f.path);
  } catch {
    const base = slugWords(f.path.split('/').at(-1) ?? '') || 'memory';
    let p = `/recovered/${base}-${sha256Hex(f.path).slice(0, 8)}.md`;
    for (let n = 2; taken.has(p); n++) p = p.replace(/(-\d+)?\.md$/, `-${n}.md`);
    notes.push(`moved from an invalid path to ${p}`);
    f.path = p;
  }
  const bytes = Buffer.from(f.content, 'utf8');
  if (bytes.length > MAX_CONTENT_BYTES) {
    const note = '\n\n[truncated by dreamwork: the memory exceeded 102,400 bytes]\n';
    // Cut on a character boundary: decode the prefix and drop a torn last character.
    const cut = bytes.subarray(0, MAX_CONTENT_BYTES - Buffer.byteLength(note)).toString('utf8').replace(/\uFFFD$/, '');
    f.content = cut + note;
    notes.push('content truncated to the size limit');
  }
  return notes.length > 0 ? notes.join('; ') : 'already within the limits';
}
