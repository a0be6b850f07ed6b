import { isRecord } from './events.ts';
import { looksLikeClaudeCodeLine } from './formats/claude-code.ts';
import { looksLikeManagedEvent } from './formats/managed-agents.ts';
import { isTrajectory } from './formats/openai-chat.ts';
import type { SourceFormat } from './schema.ts';

/**
 * Format detection from content, never from the file name. Two steps: `sniff` looks at the head
 * of the file (enough to tell JSONL, a JSON document and text apart, without reading a 2 GB log),
 * `classifyDocument` looks at a parsed JSON document.
 */
export type Sniff =
  { mode: 'jsonl'; format: 'managed_agents' | 'claude_code' } | { mode: 'json' } | { mode: 'text' };

/** How many leading JSONL lines may be unparseable or unrecognized before we call it text. */
const SNIFF_LINES = 20;

export function sniff(head: string): Sniff {
  const body = head.replace(/^\uFEFF/, '');
  const trimmed = body.trimStart();
  const c = trimmed[0];
  if (c !== '{' && c !== '[') return { mode: 'text' };
  const lines = body.split('\n');
  // The last line of a head may be cut mid-way; only complete lines are judged.
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
  let inspected = 0;
  let firstLineIsWholeValue = false;
  for (const line of complete) {
    const t = line.trim();
    if (t === '') continue;
    if (++inspected > SNIFF_LINES) break;
    if (!t.startsWith('{')) break;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      continue;
    }
    if (inspected === 1) firstLineIsWholeValue = true;
    if (looksLikeManagedEvent(value)) return { mode: 'jsonl', format: 'managed_agents' };
    if (looksLikeClaudeCodeLine(value)) return { mode: 'jsonl', format: 'claude_code' };
  }
  // A complete JSON value on line 1 followed by more content is JSONL of a shape we do not know
  // (pino or bunyan logs): text, not a broken document.
  if (firstLineIsWholeValue && body.trim().includes('\n')) return { mode: 'text' };
  return looksLikeJsonDocument(trimmed) ? { mode: 'json' } : { mode: 'text' };
}

/**
 * `{"…` or `[{`, `[[`, `["`, `[]` open a JSON document; `[INFO] …` (Maven) or `[2024-01-02 …]`
 * open a log line and must stay text.
 */
function looksLikeJsonDocument(trimmed: string): boolean {
  const next = trimmed.slice(1).trimStart()[0];
  if (trimmed[0] === '{') return next === '"' || next === '}';
  return next === '{' || next === '[' || next === '"' || next === ']';
}

export type DocFormat =
  | { format: 'managed_agents'; events: unknown[] }
  | { format: Extract<SourceFormat, 'messages' | 'openai_chat'>; doc: unknown };

const OPENAI_ROLES = new Set(['system', 'developer', 'tool', 'function']);
const ANTHROPIC_BLOCKS = new Set([
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'image',
  'document',
]);

export function classifyDocument(doc: unknown): DocFormat | null {
  if (Array.isArray(doc)) {
    if (doc.length > 0 && doc.every(looksLikeManagedEvent)) return { format: 'managed_agents', events: doc };
    if (doc.length > 0 && doc.every((m) => isRecord(m) && typeof m.role === 'string'))
      return classifyMessages(doc, doc);
    return null;
  }
  if (!isRecord(doc)) return null;
  for (const key of ['data', 'events'] as const) {
    const list = doc[key];
    if (Array.isArray(list) && list.length > 0 && list.every(looksLikeManagedEvent))
      return { format: 'managed_agents', events: list };
  }
  if (!Array.isArray(doc.messages)) return null;
  if (isTrajectory(doc)) return { format: 'openai_chat', doc };
  // A top-level `system` is the Messages API's; OpenAI puts the system prompt in messages.
  if (doc.system !== undefined) return { format: 'messages', doc };
  return classifyMessages(doc.messages as unknown[], doc);
}

/**
 * Plain user/assistant string turns are the same in both APIs; they read as `messages`. Anything
 * only one API has (system/tool roles, tool_calls, Anthropic block types) decides.
 */
function classifyMessages(messages: unknown[], doc: unknown): DocFormat | null {
  let openai = false;
  let anthropic = false;
  for (const m of messages) {
    if (!isRecord(m) || typeof m.role !== 'string') return null;
    if (OPENAI_ROLES.has(m.role) || m.tool_calls !== undefined || m.tool_call_id !== undefined) openai = true;
    if (Array.isArray(m.content)) {
      for (const b of m.content as unknown[]) {
        if (isRecord(b) && typeof b.type === 'string' && ANTHROPIC_BLOCKS.has(b.type)) anthropic = true;
      }
    }
  }
  if (openai && !anthropic) return { format: 'openai_chat', doc };
  if (anthropic && !openai) return { format: 'messages', doc };
  if (!openai && !anthropic) return { format: 'messages', doc };
  return null;
}
