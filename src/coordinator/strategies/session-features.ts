/**
 * Cheap per-session features for the strategies that plan from content: a token estimate and a
 * set of masked-line / tool-call / error signatures. Read from the stored (redacted) events,
 * never from the original file, and bounded so planning stays cheap next to extraction.
 */
import type { RootPaths } from '../../core/root.ts';
import { maskText } from '../../engine/local/mask.ts';
import { eventText } from '../../sessions/event-text.ts';
import { getSession, readEvents } from '../../sessions/store.ts';

/** About 4 characters (UTF-8 bytes) a token: the estimate src/app/dry-run.ts uses too. */
export const BYTES_PER_TOKEN = 4;
/** Lines of event text read per session for its signature set: the head is what a batch shares. */
export const FEATURE_LINES = 20_000;

export function bytesToTokens(bytes: number): number {
  return Math.ceil(bytes / BYTES_PER_TOKEN);
}

/**
 * Tokens of a session as a model would be sent it: a build log's events are its lines, so its
 * source bytes stand in; a transcript's text is read from its events (the JSON framing of the
 * original file is not sent to a model, so its bytes would overstate it).
 */
export async function estimateTokens(paths: RootPaths, id: string): Promise<number> {
  const session = await getSession(paths, id);
  if (session.kind === 'build_log') return bytesToTokens(session.source.bytes);
  let bytes = 0;
  for await (const e of readEvents(paths, id)) {
    bytes += Buffer.byteLength(eventText(e));
    if (e.type === 'agent.tool_use') bytes += Buffer.byteLength(e.name) + Buffer.byteLength(JSON.stringify(e.input));
  }
  return bytesToTokens(bytes);
}

/**
 * The session's signature set: every masked line of its text (variables → placeholders, so two
 * runs of one job share their lines), `tool:<name>` per tool called, and `error:<first masked
 * line>` per failed tool result. Blank and one-character lines carry nothing and are skipped.
 */
export async function signatureSet(paths: RootPaths, id: string, maxLines = FEATURE_LINES): Promise<Set<string>> {
  const out = new Set<string>();
  let lines = 0;
  for await (const e of readEvents(paths, id)) {
    if (e.type === 'agent.tool_use') out.add(`tool:${e.name}`);
    const text = eventText(e);
    if (e.type === 'agent.tool_result' && e.is_error) out.add(`error:${maskText(text.split('\n')[0] ?? '')}`);
    for (const line of text.split('\n')) {
      const masked = maskText(line);
      if (masked.length > 1) out.add(`line:${masked}`);
      if (++lines >= maxLines) return out;
    }
  }
  return out;
}
