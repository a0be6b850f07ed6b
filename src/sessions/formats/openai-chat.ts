import type { DraftEvent, ParseContext } from '../events.ts';
import { isRecord, str, titleFrom, toTextBlocks } from '../events.ts';

/**
 * OpenAI-style chat logs `{messages: [{role, content, tool_calls?, tool_call_id?}]}`, including
 * the SWE-agent / mini-swe-agent trajectory shape `{instance_id, info: {exit_status, …}, messages}`.
 * In a trajectory the agent acts through one ```bash block per reply and the environment answers
 * with `<returncode>N</returncode>…`; those become tool_use / tool_result pairs so failures and
 * their fixes are visible to the engine like any other tool call.
 */
const BASH_BLOCK = /```bash[^\S\n]*\n([\s\S]*?)\n?```/g;
const RETURNCODE = /^\s*<returncode>(-?\d+)<\/returncode>/;
/** mini-swe-agent's submit command: the environment answers it with the diff, without a return code. */
const SUBMIT_MARKER = 'COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT';

export function isTrajectory(doc: unknown): boolean {
  return (
    isRecord(doc) &&
    Array.isArray(doc.messages) &&
    (isRecord(doc.info) || typeof doc.instance_id === 'string')
  );
}

export function* parseOpenAiChat(doc: unknown, ctx: ParseContext): Generator<DraftEvent> {
  const base = { processed_at: null, source_lines: null };
  const messages: unknown[] = Array.isArray(doc)
    ? doc
    : isRecord(doc) && Array.isArray(doc.messages)
      ? doc.messages
      : [];
  const trajectory = isTrajectory(doc);
  if (isRecord(doc)) readTrajectoryInfo(doc, ctx);
  // The bash call waiting for its result: the next `<returncode>` message answers it.
  let pending: { id: string; submit: boolean } | null = null;

  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isRecord(m) || typeof m.role !== 'string') {
      ctx.warn(0, `messages[${i}]: expected an object with a string "role"; skipped`);
      continue;
    }
    const content = toTextBlocks(m.content);
    const plain = content.map((b) => b.text).join('\n');
    switch (m.role) {
      case 'system':
      case 'developer':
        if (content.length > 0) yield { ...base, type: 'system.message', content };
        break;
      case 'user': {
        const rc = trajectory ? RETURNCODE.exec(plain) : null;
        if (rc || (trajectory && pending?.submit)) {
          yield {
            ...base,
            type: 'agent.tool_result',
            tool_use_id: pending?.id ?? null,
            content,
            is_error: rc ? Number(rc[1]) !== 0 : false,
          };
          pending = null;
        } else {
          if (ctx.title === null && !trajectory) ctx.title = titleFrom(plain);
          yield { ...base, type: 'user.message', content };
        }
        break;
      }
      case 'assistant': {
        pending = null;
        if (content.length > 0 && plain !== '') yield { ...base, type: 'agent.message', content };
        if (trajectory) {
          const commands = [...plain.matchAll(BASH_BLOCK)].map((x) => x[1]!);
          // The harness rejects replies with zero or several blocks, so only exactly one ran.
          if (commands.length === 1) {
            const id = `bash_${i}`;
            pending = { id, submit: commands[0]!.includes(SUBMIT_MARKER) };
            yield {
              ...base,
              type: 'agent.tool_use',
              name: 'bash',
              input: { command: commands[0]! },
              tool_use_id: id,
            };
          }
        }
        if (Array.isArray(m.tool_calls)) {
          for (const call of m.tool_calls as unknown[]) yield toolCall(call, base, ctx, i);
        }
        break;
      }
      case 'tool':
      case 'function':
        yield {
          ...base,
          type: 'agent.tool_result',
          tool_use_id: str(m.tool_call_id) ?? str(m.name),
          content,
          is_error: null,
        };
        break;
      default:
        ctx.warn(0, `messages[${i}]: unknown role ${JSON.stringify(m.role)}; skipped`);
    }
  }
}

function toolCall(
  call: unknown,
  base: { processed_at: null; source_lines: null },
  ctx: ParseContext,
  i: number,
): DraftEvent {
  const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
  const name = str(fn.name) ?? 'unknown';
  let input: Record<string, unknown> = {};
  const args = fn.arguments;
  if (typeof args === 'string') {
    try {
      const parsed: unknown = JSON.parse(args);
      input = isRecord(parsed) ? parsed : { arguments: parsed };
    } catch {
      ctx.warn(0, `messages[${i}].tool_calls: arguments of ${name} are not JSON; kept as text`);
      input = { arguments: args };
    }
  } else if (isRecord(args)) input = args;
  return { ...base, type: 'agent.tool_use', name, input, tool_use_id: isRecord(call) ? str(call.id) : null };
}

function readTrajectoryInfo(doc: Record<string, unknown>, ctx: ParseContext): void {
  const instance = str(doc.instance_id);
  if (instance) {
    ctx.title = instance;
    ctx.setMeta('instance_id', instance);
  }
  const info = isRecord(doc.info) ? doc.info : {};
  const exit = info.exit_status ?? doc.exit_status;
  const resolved =
    typeof info.resolved === 'boolean'
      ? info.resolved
      : typeof doc.resolved === 'boolean'
        ? doc.resolved
        : null;
  if (exit !== undefined || resolved !== null) {
    ctx.outcome = { resolved, exit_status: exit === undefined || exit === null ? null : String(exit) };
  }
  for (const [k, v] of Object.entries(info).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    // The submission is the final diff, already present as the last tool result.
    if (k === 'submission' || k === 'exit_status') continue;
    ctx.setMeta(`info.${k}`, v);
  }
}
