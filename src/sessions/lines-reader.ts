import { InvalidInputError } from '../core/errors.ts';
import { headOf, truncationNote } from './long-lines.ts';
import { Utf8Stream } from './utf8-stream.ts';
import { TextDecoder } from 'node:util';

/**
 * Streaming line splitter that follows core/lines.ts `splitLines` exactly (1-based, split on
 * `\n`, a `\r` before `\n` is part of the line ending, a lone `\r` is content, no phantom empty
 * last line) without ever holding more than one chunk plus one partial line in memory.
 */
export interface LineBatch {
  /** Line number of lines[0]. */
  first: number;
  lines: string[];
}

export interface ReadLinesOptions {
  /** A single line longer than this (in UTF-16 units) fails the read: memory stays bounded. */
  maxLineLength?: number;
  /** Called once if bytes after the sniffed head are not valid UTF-8 (they become U+FFFD). */
  onInvalidUtf8?: (line: number) => void;
  /**
   * Instead of failing, cut a line longer than this to a short head plus a note with its size
   * (long-lines.ts); only the head is ever held, so a 50 MB line costs nothing.
   */
  truncateAt?: number;
  /** Called for every line that was cut, with its number and size in bytes. */
  onTruncated?: (line: number, bytes: number) => void;
}

export const DEFAULT_MAX_LINE = 64 * 1024 * 1024;
/** At most 64 KiB as UTF-16: well under V8's large-object size (128 KiB), so young-generation. */
const DECODE_BYTES = 32 * 1024;

export async function* readLineBatches(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  opts: ReadLinesOptions = {},
): AsyncGenerator<LineBatch> {
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE;
  const strict = new Utf8Stream();
  let lenient: TextDecoder | null = null;
  let carry: string[] = [];
  let carryLen = 0;
  let lineNo = 1;

  const decode = (chunk?: Buffer): string => {
    if (lenient) return chunk ? lenient.decode(chunk, { stream: true }) : lenient.decode();
    const text = strict.decode(chunk);
    if (text !== null) return text;
    // Invalid UTF-8 past the head: keep going with replacement characters, say so once,
    // naming the line of the first replacement (lines before it in this chunk are complete).
    lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    const rest = lenient.decode(strict.undecoded, { stream: chunk !== undefined });
    const bad = rest.indexOf('\uFFFD');
    let line = lineNo;
    for (let i = rest.indexOf('\n'); i >= 0 && i < bad; i = rest.indexOf('\n', i + 1)) line++;
    opts.onInvalidUtf8?.(line);
    return rest;
  };

  const tooLong = (): never => {
    throw new InvalidInputError(
      'line_too_long',
      `line ${lineNo} is longer than ${maxLine} characters; refusing to hold it in memory`,
      { line: lineNo },
    );
  };

  const limit = opts.truncateAt ?? maxLine;
  // The line being cut: its head and the byte size of everything seen of it so far.
  // `cr`: what was seen of it so far ends with `\r`, which is line ending if `\n` comes next.
  let cut: { head: string; bytes: number; cr: boolean } | null = null;
  const cutLine = (line: number, head: string, bytes: number): string => {
    opts.onTruncated?.(line, bytes);
    return headOf(head) + truncationNote(bytes);
  };

  const appendCarry = (text: string): void => {
    if (cut) {
      cut.bytes += Buffer.byteLength(text);
      cut.cr = text.endsWith('\r');
      return;
    }
    carry.push(text);
    carryLen += text.length;
    if (carryLen <= limit) return;
    if (opts.truncateAt === undefined) tooLong();
    const held = carry.join('');
    cut = { head: headOf(held), bytes: Buffer.byteLength(held), cr: held.endsWith('\r') };
    carry = [];
    carryLen = 0;
  };

  const process = (text: string): LineBatch | null => {
    const nl = text.indexOf('\n');
    if (nl < 0) {
      if (text.length > 0) appendCarry(text);
      return null;
    }
    const parts = text.split('\n');
    const tail = parts.pop()!;
    const first = lineNo;
    let done = 0;
    if (cut) {
      // The first part ends the line being cut; a `\r` before its `\n` is line ending, not content.
      const end = parts[0]!;
      const cr = end === '' ? cut.cr : end.endsWith('\r');
      const bytes = cut.bytes + Buffer.byteLength(end) - (cr ? 1 : 0);
      parts[0] = cutLine(first, cut.head, bytes);
      cut = null;
      done = 1;
    } else if (carry.length > 0) parts[0] = carry.join('') + parts[0]!;
    carry = [];
    carryLen = 0;
    for (let i = done; i < parts.length; i++) {
      let l = parts[i]!;
      if (l.charCodeAt(l.length - 1) === 13) l = l.slice(0, -1);
      if (l.length > limit) {
        if (opts.truncateAt === undefined) {
          lineNo = first + i;
          tooLong();
        }
        l = cutLine(first + i, l, Buffer.byteLength(l));
      }
      parts[i] = l;
    }
    lineNo += parts.length;
    if (tail.length > 0) appendCarry(tail);
    return { first, lines: parts };
  };

  for await (const chunk of chunks) {
    // Decoded a slice at a time: a string of a whole 1 MiB chunk (2 MiB as UTF-16) would be a
    // large object, mapped fresh and unmapped at the next GC, 512 page faults each time.
    for (let at = 0; at < chunk.length; at += DECODE_BYTES) {
      const batch = process(decode(chunk.subarray(at, at + DECODE_BYTES)));
      if (batch) yield batch;
    }
  }
  const rest = decode();
  const batch = process(rest);
  if (batch) yield batch;
  if (cut) {
    const c: { head: string; bytes: number; cr: boolean } = cut;
    yield { first: lineNo, lines: [cutLine(lineNo, c.head, c.bytes)] };
  } else if (carry.length > 0) {
    let last = carry.join('');
    if (last.endsWith('\r')) last = last.slice(0, -1);
    yield { first: lineNo, lines: [last] };
  }
}
