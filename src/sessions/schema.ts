import { z } from 'zod';

/**
 * A session here is an imported transcript or build log. Each becomes normalized events in the
 * Managed Agents event shape, plus `source_lines`, the 1-based inclusive range of lines of the
 * original file the event came from (null when the format has no meaningful lines).
 */
export const SessionKind = z.enum(['build_log', 'agent_transcript', 'conversation']);
export type SessionKind = z.infer<typeof SessionKind>;

export const SourceFormat = z.enum([
  'managed_agents', // Managed Agents session events (JSON array or JSONL)
  'claude_code', // Claude Code session JSONL
  'messages', // Anthropic Messages conversation {messages:[...]}
  'openai_chat', // OpenAI-style chat log, incl. the {info, messages} trajectory shape
  'text_log', // plain text / CI build log
]);
export type SourceFormat = z.infer<typeof SourceFormat>;

export const TextBlock = z.object({ type: z.literal('text'), text: z.string() });
export type TextBlock = z.infer<typeof TextBlock>;

const LineRange = z.tuple([z.number().int().positive(), z.number().int().positive()]);

const EventBase = {
  id: z.string(),
  processed_at: z.string().nullable(),
  /** Lines of the original file this event came from: [start, end], 1-based, inclusive. */
  source_lines: LineRange.nullable(),
};

export const SessionEvent = z.discriminatedUnion('type', [
  z.object({ ...EventBase, type: z.literal('user.message'), content: z.array(TextBlock) }),
  z.object({ ...EventBase, type: z.literal('agent.message'), content: z.array(TextBlock) }),
  z.object({ ...EventBase, type: z.literal('system.message'), content: z.array(TextBlock) }),
  z.object({
    ...EventBase,
    type: z.literal('agent.tool_use'),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
    tool_use_id: z.string().nullable(),
  }),
  z.object({
    ...EventBase,
    type: z.literal('agent.tool_result'),
    tool_use_id: z.string().nullable(),
    content: z.array(TextBlock),
    is_error: z.boolean().nullable(),
  }),
  /** A build log's lines: content is the lines' text, source_lines their numbers. */
  z.object({ ...EventBase, type: z.literal('log.lines'), content: z.array(TextBlock) }),
]);
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventType = SessionEvent['type'];

export const ImportWarning = z.object({ line: z.number().int().nonnegative(), message: z.string() });
export type ImportWarning = z.infer<typeof ImportWarning>;

export const Session = z.object({
  id: z.string(),
  type: z.literal('session'),
  kind: SessionKind,
  format: SourceFormat,
  title: z.string(),
  source: z.object({
    /** The path as given at import (for people; never trusted as a path again). */
    path: z.string(),
    bytes: z.number().int().nonnegative(),
    sha256: z.string(),
    gzip: z.boolean(),
    /** File name of the original bytes inside the session folder. */
    original_file: z.string(),
  }),
  created_at: z.string(),
  /** First and last timestamps found in the content, if any: when the session happened. */
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  line_count: z.number().int().nonnegative(),
  event_count: z.number().int().nonnegative(),
  /** What the transcript says about how it ended (resolved, exit status), when it says. */
  outcome: z
    .object({ resolved: z.boolean().nullable(), exit_status: z.string().nullable() })
    .nullable(),
  metadata: z.record(z.string(), z.string()),
  warnings: z.array(ImportWarning),
  archived_at: z.string().nullable(),
});
export type Session = z.infer<typeof Session>;
