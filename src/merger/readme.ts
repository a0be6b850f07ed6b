import type { FindingKind } from '../engine/findings.ts';
import { MAX_CONTENT_BYTES } from '../memory/limits.ts';
import { redact } from '../outcomes/secrets.ts';
import { cmpStr, singleLine } from './canonical.ts';
import { FOLDER_DESCRIPTION, KIND_FOLDER } from './layout.ts';
import type { MemoryEntry } from './types.ts';

/** First line of every index the merger writes: how a later dream recognizes its own file. */
export const INDEX_MARKER = '<!-- dreamwork index: generated, rewritten by every dream; edit the memories, not this file -->';

export function isGeneratedIndex(content: string): boolean {
  return content.startsWith(INDEX_MARKER);
}

const KINDS: FindingKind[] = ['failure', 'workaround', 'fact', 'preference', 'insight'];

/** The title a person would see for a hand-written memory: its first heading, else its name. */
function foreignTitle(path: string, content: string): string {
  const h = /^#{1,6} +(.+)$/m.exec(content);
  return singleLine(h ? h[1]! : (path.split('/').at(-1) ?? path));
}

/**
 * The store's README: what it holds, how it is organized, and every memory by folder with counts.
 * Built from sorted data only, so the same store always gets the same bytes. When the full list
 * would not fit a memory's size limit, titles are dropped, then the list is shortened per folder.
 */
export function renderIndex(entries: readonly MemoryEntry[], foreign: readonly { path: string; content: string }[]): string {
  const full = build(entries, foreign, 'titles');
  if (Buffer.byteLength(full, 'utf8') <= MAX_CONTENT_BYTES) return full;
  const paths = build(entries, foreign, 'paths');
  if (Buffer.byteLength(paths, 'utf8') <= MAX_CONTENT_BYTES) return paths;
  return build(entries, foreign, 'short');
}

function build(entries: readonly MemoryEntry[], foreign: readonly { path: string; content: string }[], mode: 'titles' | 'paths' | 'short'): string {
  const total = entries.length + foreign.length;
  const out: string[] = [
    INDEX_MARKER,
    '# Memory store',
    '',
    'Lessons consolidated from past sessions (agent transcripts, conversations, CI and build logs).',
    'Each memory is a Markdown file: the lesson first, then a `## Provenance` section (kind, key,',
    'how many sessions it was seen in, first/last seen, confidence, every session id and quoted',
    'evidence lines `session Lstart-end (event …): "quote"`), then `## History` for values a newer',
    'observation superseded. Read one with `cat`, search them with `grep -r`, compare stores with `diff -r`.',
    '',
    `${total} ${total === 1 ? 'memory' : 'memories'} besides this index.`,
    '',
    '## Layout',
    '',
  ];
  for (const kind of KINDS) {
    const n = entries.filter((e) => e.kind === kind).length;
    out.push(`- \`/${KIND_FOLDER[kind]}/\` (${n}): ${FOLDER_DESCRIPTION[kind]}`);
  }
  if (foreign.length > 0) out.push(`- other files (${foreign.length}): written by people or other tools, kept exactly as they were`);
  out.push('', '## Memories');
  const perFolderCap = mode === 'short' ? 100 : Infinity;
  for (const kind of KINDS) {
    const list = entries.filter((e) => e.kind === kind).sort((a, b) => cmpStr(a.path, b.path));
    if (list.length === 0) continue;
    out.push('', `### /${KIND_FOLDER[kind]}/ (${list.length})`, '');
    for (const e of list.slice(0, perFolderCap)) {
      const seen = `seen in ${e.occurrences} ${e.occurrences === 1 ? 'session' : 'sessions'}`;
      out.push(mode === 'titles' ? `- \`${e.path}\`: ${redact(e.title)} (${seen})` : `- \`${e.path}\` (${seen})`);
    }
    if (list.length > perFolderCap) out.push(`- … and ${list.length - perFolderCap} more in \`/${KIND_FOLDER[kind]}/\``);
  }
  if (foreign.length > 0) {
    const list = [...foreign].sort((a, b) => cmpStr(a.path, b.path));
    out.push('', `### Other files (${list.length})`, '');
    for (const f of list.slice(0, perFolderCap)) {
      out.push(mode === 'titles' ? `- \`${f.path}\`: ${redact(foreignTitle(f.path, f.content))}` : `- \`${f.path}\``);
    }
    if (list.length > perFolderCap) out.push(`- … and ${list.length - perFolderCap} more`);
  }
  return out.join('\n') + '\n';
}
