import type { DraftEvent, ParseContext } from '../events.ts';
import { isRecord, str, toTextBlocks } from '../events.ts';
import type { JsonlRecord } from './jsonl.ts';

/**
 * Managed Agents session events (the SDK's beta/sessions/events.d.ts shapes), as a JSON array, a
 * list page `{data: [...]}` or JSONL. Built-in, MCP and custom tool calls all become
 * agent.tool_use / agent.tool_result; their results point back by the original event id, so the
 * tool_use keeps that id as its tool_use_id. Other types (thinking, span.*, session.*) are
 * counted as skipped.
 */
export function managedEvent(raw: unknown, line: number | null, ctx: ParseContext): DraftEvent | null {
  const where = line ?? 0;
  if (!isRecord(raw) || typeof raw.type !== 'string') {
    ctx.warn(where, 'not a session event (expected an object with a string "type")');
    return null;
  }
  const base = {
    processed_at: str(raw.processed_at),
    source_lines: line === null ? null : ([line, line] as [number, number]),
  };
  const type = raw.type;
  switch (type) {
    case 'user.message':
    case 'agent.message':
    case 'system.message':
      return { ...base, type, content: toTextBlocks(raw.content) };
    case 'agent.tool_use':
    case 'agent.mcp_tool_use':
    case 'agent.custom_tool_use': {
      const name = str(raw.name);
      if (name === null) {
        ctx.warn(where, `${type} without a string "name"; skipped`);
        return null;
      }
      // MCP tools are named the way Claude Code names them, so the same tool reads the same everywhere.
      const server = str(raw.mcp_server_name);
      return {
        ...base,
        type: 'agent.tool_use',
        name: type === 'agent.mcp_tool_use' && server ? `mcp__${server}__${name}` : name,
        input: isRecord(raw.input) ? raw.input : {},
        tool_use_id: str(raw.id),
      };
    }
    case 'agent.tool_result':
    case 'user.tool_result':
    case 'agent.mcp_tool_result':
    case 'user.custom_tool_result':
      return {
        ...base,
        type: 'agent.tool_result',
        tool_use_id: str(raw.tool_use_id) ?? str(raw.mcp_tool_use_id) ?? str(raw.custom_tool_use_id),
        content: toTextBlocks(raw.content),
        is_error: typeof raw.is_error === 'boolean' ? raw.is_error : null,
      };
    default:
      ctx.skip(type);
      return null;
  }
}

export function* parseManagedArray(events: unknown[], ctx: ParseContext): Generator<DraftEvent> {
  for (const raw of events) {
    const ev = managedEvent(raw, null, ctx);
    if (ev) yield ev;
  }
}

export async function* parseManagedJsonl(
  records: AsyncIterable<JsonlRecord>,
  ctx: ParseContext,
): AsyncGenerator<DraftEvent> {
  for await (const { line, value } of records) {
    const ev = managedEvent(value, line, ctx);
    if (ev) yield ev;
  }
}

/** Does this object look like a Managed Agents event? Used by detection. */
export function looksLikeManagedEvent(v: unknown): boolean {
  return (
    isRecord(v) && typeof v.type === 'string' && /^(user|agent|session|span|system)\.[a-z_]+$/.test(v.type)
  );
}
