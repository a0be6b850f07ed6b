import type { DraftEvent, ParseContext } from '../events.ts';
import { isRecord, str, titleFrom, toTextBlocks } from '../events.ts';
import type { TextBlock } from '../schema.ts';
import type { JsonlRecord } from './jsonl.ts';

/**
 * Claude Code session JSONL (~/.claude/projects/<project>/<session>.jsonl). One line per message
 * (often one per content block); user lines carry tool results, assistant lines text and tool
 * calls. `summary` lines name the session; `isMeta` lines (injected caveats) and bookkeeping
 * lines (system, file-history-snapshot, …) are counted as skipped.
 */
export const CLAUDE_CODE_LINE_TYPES = new Set([
  'user',
  'assistant',
  'summary',
  'system',
  'file-history-snapshot',
  'queue-operation',
]);

export function looksLikeClaudeCodeLine(v: unknown): boolean {
  return (
    isRecord(v) &&
    typeof v.type === 'string' &&
    CLAUDE_CODE_LINE_TYPES.has(v.type) &&
    (isRecord(v.message) || 'summary' in v || 'sessionId' in v || 'uuid' in v || 'snapshot' in v)
  );
}

export async function* parseClaudeCode(
  records: AsyncIterable<JsonlRecord>,
  ctx: ParseContext,
): AsyncGenerator<DraftEvent> {
  let firstUserText: string | null = null;
  for await (const { line, value } of records) {
    if (!isRecord(value) || typeof value.type !== 'string') {
      ctx.warn(line, 'not a Claude Code line (expected an object with a string "type")');
      continue;
    }
    if (value.type === 'summary') {
      const summary = str(value.summary);
      if (summary && ctx.title === null) ctx.title = titleFrom(summary);
      continue;
    }
    if (value.type !== 'user' && value.type !== 'assistant') {
      ctx.skip(`claude_code.${value.type}`);
      continue;
    }
    if (value.isMeta === true) {
      ctx.skip('claude_code.meta');
      continue;
    }
    for (const key of ['sessionId', 'cwd', 'gitBranch', 'version'] as const) {
      if (ctx.metadata[key] === undefined && typeof value[key] === 'string') ctx.setMeta(key, value[key]);
    }
    const message = value.message;
    if (!isRecord(message)) {
      ctx.warn(line, `"${value.type}" line without a "message" object; skipped`);
      continue;
    }
    const base = { processed_at: str(value.timestamp), source_lines: [line, line] as [number, number] };
    const events =
      value.type === 'user'
        ? userEvents(message.content, value.toolUseResult, base)
        : assistantEvents(message.content, base, ctx);
    for (const ev of events) {
      if (firstUserText === null && ev.type === 'user.message')
        firstUserText = ev.content.map((b) => b.text).join('\n');
      yield ev;
    }
  }
  if (ctx.title === null && firstUserText !== null) ctx.title = titleFrom(firstUserText);
}

type Base = { processed_at: string | null; source_lines: [number, number] };

function userEvents(content: unknown, toolUseResult: unknown, base: Base): DraftEvent[] {
  if (typeof content === 'string') return [{ ...base, type: 'user.message', content: toTextBlocks(content) }];
  if (!Array.isArray(content)) return [];
  const out: DraftEvent[] = [];
  let pending: TextBlock[] = [];
  const flush = (): void => {
    if (pending.length > 0) out.push({ ...base, type: 'user.message', content: pending });
    pending = [];
  };
  for (const block of content) {
    if (isRecord(block) && block.type === 'tool_result') {
      flush();
      out.push(toolResult(block, toolUseResult, base));
    } else {
      pending.push(...toTextBlocks([block]));
    }
  }
  flush();
  return out;
}

function toolResult(block: Record<string, unknown>, toolUseResult: unknown, base: Base): DraftEvent {
  let content = toTextBlocks(block.content);
  let isError = typeof block.is_error === 'boolean' ? block.is_error : null;
  // `toolUseResult` is Claude Code's structured copy of the result; use it when the block is empty.
  if (isRecord(toolUseResult)) {
    if (content.every((b) => b.text === '')) {
      const parts = [str(toolUseResult.stdout), str(toolUseResult.stderr)].filter((s): s is string => !!s);
      if (parts.length > 0) content = [{ type: 'text', text: parts.join('\n') }];
    }
    if (toolUseResult.interrupted === true && isError === null) isError = true;
  }
  return {
    ...base,
    type: 'agent.tool_result',
    tool_use_id: str(block.tool_use_id),
    content,
    is_error: isError,
  };
}

function assistantEvents(content: unknown, base: Base, ctx: ParseContext): DraftEvent[] {
  if (typeof content === 'string')
    return [{ ...base, type: 'agent.message', content: toTextBlocks(content) }];
  if (!Array.isArray(content)) return [];
  const out: DraftEvent[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') {
      out.push({ ...base, type: 'agent.message', content: [{ type: 'text', text: block.text }] });
    } else if (block.type === 'tool_use' && typeof block.name === 'string') {
      out.push({
        ...base,
        type: 'agent.tool_use',
        name: block.name,
        input: isRecord(block.input) ? block.input : {},
        tool_use_id: str(block.id),
      });
    } else {
      ctx.skip(`claude_code.${typeof block.type === 'string' ? block.type : 'unknown_block'}`);
    }
  }
  return out;
}
