import type { StoreSnapshot } from '../memory/snapshot.ts';
import { parseMemory } from '../merger/parse.ts';
import { renderEvidence, renderSeen } from '../merger/render.ts';
import type { MemoryEntry } from '../merger/types.ts';

export type AgentFileFormat = 'claude-md' | 'agents-md';

/** Sections in the order an agent should read them: what to do first, then what to know. */
const SECTIONS: [string, string][] = [
  ['/playbooks/', 'Playbooks: fixes that worked'],
  ['/failures/', 'Known failures'],
  ['/preferences/', 'Preferences'],
  ['/facts/', 'Facts'],
  ['/insights/', 'Insights'],
];

const HEADERS: Record<AgentFileFormat, string[]> = {
  'claude-md': [
    '# CLAUDE.md — project memory',
    '',
    'Lessons consolidated by dreamwork from past sessions. Claude Code reads this file at the start of',
    'every session. Each lesson cites where it came from in a footnote (sessions, line ranges, quotes).',
  ],
  'agents-md': [
    '# AGENTS.md',
    '',
    'Project memory for coding agents, consolidated by dreamwork from past sessions (agent transcripts,',
    'CI and build logs). Each lesson cites where it came from in a footnote (sessions, line ranges, quotes).',
  ],
};

export interface AgentFileSource {
  storeId: string;
  storeName: string;
}

/**
 * One Markdown file for an agent: every memory's lesson under a section by kind, its provenance
 * (sessions, first/last seen, evidence with session ids and line numbers) as a footnote so the
 * text an agent reads first stays short. Memories that are not in dreamwork's format (hand
 * written) are included as they are, headings demoted, with their path as the footnote. The
 * store's own README (an index) is left out: the file is its own index. Deterministic: the
 * same snapshot gives the same bytes.
 */
export function renderAgentFile(
  snapshot: StoreSnapshot,
  format: AgentFileFormat,
  source: AgentFileSource,
): string {
  const memories = snapshot.filter((m) => m.path !== '/README.md');
  const out: string[] = [
    ...HEADERS[format],
    '',
    `Source: memory store \`${source.storeId}\` (${source.storeName}), ${memories.length} memories.`,
    '',
  ];
  const notes: string[] = [];
  const placed = new Set<string>();
  const groups: [string, StoreSnapshot][] = SECTIONS.map(([prefix, title]) => {
    const inGroup = memories.filter((m) => m.path.startsWith(prefix));
    for (const m of inGroup) placed.add(m.path);
    return [title, inGroup];
  });
  groups.push(['Other notes', memories.filter((m) => !placed.has(m.path))]);
  for (const [title, group] of groups) {
    if (group.length === 0) continue;
    out.push(`## ${title}`, '');
    for (const m of group) {
      const n = notes.length + 1;
      const entry = parseMemory(m.path, m.content);
      if (entry) {
        out.push(`### ${entry.title} [^${n}]`, '');
        if (entry.body !== '') out.push(demote(entry.body), '');
        if (entry.value !== null && !entry.body.includes(entry.value))
          out.push(`Current value: ${entry.value}`, '');
        notes.push(footnote(n, m.path, entry));
      } else {
        out.push(`### \`${m.path}\` [^${n}]`, '', demote(m.content.trim()), '');
        notes.push(`[^${n}]: \`${m.path}\` (written by hand; no provenance recorded)`);
      }
    }
  }
  if (notes.length > 0) out.push('## Provenance', '', ...notes, '');
  return out.join('\n');
}

function footnote(n: number, path: string, e: MemoryEntry): string {
  const lines = [
    `[^${n}]: \`${path}\` — ${e.kind}, seen in ${e.occurrences} ${e.occurrences === 1 ? 'session' : 'sessions'}, confidence ${e.confidence.toFixed(2)}; first seen ${renderSeen(e.first_seen)}; last seen ${renderSeen(e.last_seen)}.`,
    `    Sessions: ${e.sessions.join(', ')}.`,
  ];
  for (const ev of e.evidence) lines.push(`    - ${renderEvidence(ev)}`);
  for (const h of e.history)
    lines.push(`    - superseded: ${JSON.stringify(h.value)} (last seen ${renderSeen(h.last_seen)})`);
  return lines.join('\n');
}

/** Headings inside a memory become bold lines so they cannot break the file's outline. */
function demote(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^#{1,6}\s+(.*)$/, '**$1**'))
    .join('\n');
}
