/**
 * Tool calls of an agent transcript, paired with their results, in the two shapes sessions come
 * in: structured (`agent.tool_use` + `agent.tool_result`, matched by tool_use_id or by order) and
 * text-only agents such as mini-SWE-agent, whose assistant message holds one ```bash block and
 * whose next user message is the result (`<returncode>N</returncode><output>…`).
 */
import type { SessionEvent } from '../../sessions/schema.ts';
import { blocksText } from './text.ts';

export interface ToolCall {
  /** Position among the session's calls, in event order. */
  index: number;
  tool: string;
  /** The shell command, when the call ran one. */
  command: string | null;
  /** The file the call edits or reads, when the tool names one. */
  target: string | null;
  /** The event that made the call (a tool_use, or an agent message with a bash block). */
  use: SessionEvent | null;
  /** A verbatim piece of the call event's text naming the call (for evidence quotes). */
  useQuote: string | null;
  result: SessionEvent;
  /** The result's text (for `<returncode>` results: the whole message). */
  output: string;
  isError: boolean | null;
  /** The exit status the result reports, when it reports one. */
  returnCode: number | null;
}

// The action of a text-only agent: its (last) fenced shell block; other fences are prose.
const BASH_BLOCK = /```(?:bash|sh|shell|console)[ \t]*\r?\n([\s\S]*?)```/g;
const RETURN_CODE = /^\s*<returncode>\s*(-?\d+)\s*<\/returncode>/;

interface Pending {
  tool: string;
  command: string | null;
  target: string | null;
  use: SessionEvent;
  useQuote: string | null;
}

/** Pair every tool result of the session with the call that produced it. */
export function toolCalls(events: readonly SessionEvent[]): ToolCall[] {
  const calls: ToolCall[] = [];
  const byId = new Map<string, Pending>();
  let lastUse: Pending | null = null;
  let lastBash: Pending | null = null;

  for (const ev of events) {
    switch (ev.type) {
      case 'agent.tool_use': {
        const p = fromToolUse(ev);
        if (ev.tool_use_id) byId.set(ev.tool_use_id, p);
        lastUse = p;
        break;
      }
      case 'agent.message': {
        const m = [...blocksText(ev.content).matchAll(BASH_BLOCK)].pop();
        if (m) {
          const command = m[1]!.trim();
          lastBash = { tool: 'bash', command, target: null, use: ev, useQuote: firstLine(command) };
        }
        break;
      }
      case 'agent.tool_result': {
        const p: Pending | null = (ev.tool_use_id ? byId.get(ev.tool_use_id) : undefined) ?? lastUse;
        if (ev.tool_use_id) byId.delete(ev.tool_use_id);
        if (p === lastUse) lastUse = null;
        calls.push(makeCall(calls.length, p, ev, blocksText(ev.content), ev.is_error));
        break;
      }
      case 'user.message': {
        const text = blocksText(ev.content);
        if (RETURN_CODE.test(text)) {
          calls.push(makeCall(calls.length, lastBash, ev, text, null));
          lastBash = null;
        }
        break;
      }
      default:
        break;
    }
  }
  return calls;
}

function makeCall(index: number, p: Pending | null, result: SessionEvent, output: string, isError: boolean | null): ToolCall {
  const rc = RETURN_CODE.exec(output);
  return {
    index,
    tool: p?.tool ?? 'bash',
    command: p?.command ?? null,
    target: p?.target ?? null,
    use: p?.use ?? null,
    useQuote: p?.useQuote ?? null,
    result,
    output,
    isError,
    returnCode: rc ? Number(rc[1]) : null,
  };
}

function fromToolUse(ev: Extract<SessionEvent, { type: 'agent.tool_use' }>): Pending {
  const input = ev.input;
  const str = (k: string): string | null => (typeof input[k] === 'string' ? (input[k] as string) : null);
  const command = str('command') ?? str('cmd') ?? str('script');
  const target = str('file_path') ?? str('path') ?? str('filename') ?? str('file');
  // The quote must be found verbatim in however the event is rendered (raw or JSON-encoded),
  // so it stops before characters JSON would escape.
  const raw = command ?? target;
  const useQuote = raw ? (/^[^"\\\n\r\t]*/.exec(raw)?.[0] ?? '').trim().slice(0, 200) || null : null;
  return { tool: ev.name, command, target, use: ev, useQuote };
}

function firstLine(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim() !== '');
  return line ? line.trim().slice(0, 200) : null;
}
