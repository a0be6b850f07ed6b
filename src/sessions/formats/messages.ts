import type { DraftEvent, ParseContext } from '../events.ts';
import { isRecord, str, titleFrom, toTextBlocks } from '../events.ts';
import type { TextBlock } from '../schema.ts';

/**
 * An Anthropic Messages conversation: `{system?, messages: [{role, content}]}` or a bare array of
 * messages. Content is a string or blocks; tool_use blocks (assistant) and tool_result blocks
 * (user) become tool events, consecutive text blocks one message event. A JSON document has no
 * cheap mapping to lines, so source_lines is null.
 */
export function* parseMessages(doc: unknown, ctx: ParseContext): Generator<DraftEvent> {
  const base = { processed_at: null, source_lines: null };
  const messages = Array.isArray(doc)
    ? doc
    : isRecord(doc) && Array.isArray(doc.messages)
      ? doc.messages
      : [];
  if (isRecord(doc)) {
    const system = toTextBlocks(doc.system);
    if (system.length > 0) yield { ...base, type: 'system.message', content: system };
    if (typeof doc.model === 'string') ctx.setMeta('model', doc.model);
  }
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isRecord(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      ctx.warn(0, `messages[${i}]: expected role "user" or "assistant"; skipped`);
      continue;
    }
    const textType = m.role === 'user' ? 'user.message' : 'agent.message';
    if (typeof m.content === 'string') {
      if (ctx.title === null && m.role === 'user') ctx.title = titleFrom(m.content);
      yield { ...base, type: textType, content: toTextBlocks(m.content) };
      continue;
    }
    if (!Array.isArray(m.content)) {
      ctx.warn(0, `messages[${i}].content: expected a string or an array of blocks; skipped`);
      continue;
    }
    let pending: TextBlock[] = [];
    const flush = function* (): Generator<DraftEvent> {
      if (pending.length > 0) {
        if (ctx.title === null && m.role === 'user')
          ctx.title = titleFrom(pending.map((b) => b.text).join('\n'));
        yield { ...base, type: textType, content: pending };
      }
      pending = [];
    };
    for (const block of m.content as unknown[]) {
      if (isRecord(block) && block.type === 'tool_use' && typeof block.name === 'string') {
        yield* flush();
        yield {
          ...base,
          type: 'agent.tool_use',
          name: block.name,
          input: isRecord(block.input) ? block.input : {},
          tool_use_id: str(block.id),
        };
      } else if (isRecord(block) && block.type === 'tool_result') {
        yield* flush();
        yield {
          ...base,
          type: 'agent.tool_result',
          tool_use_id: str(block.tool_use_id),
          content: toTextBlocks(block.content),
          is_error: typeof block.is_error === 'boolean' ? block.is_error : null,
        };
      } else if (isRecord(block) && (block.type === 'thinking' || block.type === 'redacted_thinking')) {
        ctx.skip(`messages.${block.type}`);
      } else {
        pending.push(...toTextBlocks([block]));
      }
    }
    yield* flush();
  }
}
