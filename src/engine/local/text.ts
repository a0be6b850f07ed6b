/** Small text helpers shared by the local extractors. */
import { sha256Hex } from '../../core/ids.ts';

/** Keys carry a short hash: 16 hex chars (64 bits) keep collisions out of reach for any store. */
export function shortHash(text: string): string {
  return sha256Hex(text).slice(0, 16);
}

/** Cut to `max` characters with an ellipsis, for titles; never used for quotes. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Evidence quotes are at most this long and must stay a literal substring of the source. */
export const MAX_QUOTE = 300;

/**
 * A quote from `text`: trimmed and cut, but always a verbatim substring of `text`. A line cut at
 * ingest (sessions/long-lines.ts) is stored short enough that its quote keeps the visible
 * "… [line truncated: N bytes]" note.
 */
export function quoteOf(text: string, max = MAX_QUOTE): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : trimmed.slice(0, max);
}

/** The text of a message-like event's blocks, joined as ingest stored them. */
export function blocksText(content: readonly { text: string }[]): string {
  return content.map((b) => b.text).join('\n');
}
