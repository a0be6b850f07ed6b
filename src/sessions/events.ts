import type { ImportWarning, Session, SessionEvent, SessionKind, TextBlock } from './schema.ts';

/**
 * What a format parser produces: a normalized event without its id (ids are assigned by the
 * writer once the session id is known), plus a context collecting warnings and session facts.
 */
export type DraftEvent = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'id'>
    : never
  : never;

/** A session keeps at most this many warnings; the rest are counted, so a 2 GB corrupt file stays small. */
export const MAX_WARNINGS = 100;

export class ParseContext {
  readonly warnings: ImportWarning[] = [];
  warningCount = 0;
  readonly skipped = new Map<string, number>();
  title: string | null = null;
  kind: SessionKind | null = null;
  startedAt: string | null = null;
  endedAt: string | null = null;
  outcome: Session['outcome'] = null;
  /** A text log's final status or exit line, when it has one (run-end.ts); null otherwise. */
  finalStatus: string | null = null;
  readonly metadata: Record<string, string> = {};

  /** line 0 = about the whole file. */
  warn(line: number, message: string): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ line, message });
  }

  /** An event type we do not normalize: not an error, but counted so nothing disappears silently. */
  skip(type: string): void {
    this.skipped.set(type, (this.skipped.get(type) ?? 0) + 1);
  }

  setMeta(key: string, value: unknown): void {
    if (value === undefined || value === null) return;
    const text =
      typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    // Metadata is for display and filtering, not a second copy of the transcript.
    this.metadata[key] = text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
}

export function text(t: string): TextBlock[] {
  return [{ type: 'text', text: t }];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Any content (a string, an array of blocks, null) as text blocks. Non-text blocks become a short
 * marker rather than vanishing, so a reader can see an image or document was there.
 */
export function toTextBlocks(content: unknown): TextBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return text(content);
  if (!Array.isArray(content)) return text(JSON.stringify(content));
  const out: TextBlock[] = [];
  for (const block of content) {
    if (typeof block === 'string') out.push({ type: 'text', text: block });
    else if (isRecord(block) && typeof block.text === 'string') out.push({ type: 'text', text: block.text });
    else if (isRecord(block) && block.type === 'search_result' && Array.isArray(block.content)) {
      out.push(...toTextBlocks(block.content));
    } else if (isRecord(block) && typeof block.type === 'string')
      out.push({ type: 'text', text: `[${block.type}]` });
  }
  return out;
}

/** A one-line title from free text: first non-empty line, trimmed to 80 characters. */
export function titleFrom(t: string): string | null {
  const line = t
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!line) return null;
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
