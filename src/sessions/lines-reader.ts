import { TextDecoder } from 'node:util';
import { InvalidInputError } from '../core/errors.ts';
import { headOf, truncationNote } from './long-lines.ts';
import { Utf8Stream } from './utf8-stream.ts';

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
  const reader = new LineReader(opts);
  for await (const chunk of chunks) {
    // Decoded a slice at a time: a string of a whole 1 MiB chunk (2 MiB as UTF-16) would be a
    // large object, mapped fresh and unmapped at the next GC, 512 page faults each time.
    for (let at = 0; at < chunk.length; at += DECODE_BYTES) {
      const batch = reader.push(chunk.subarray(at, at + DECODE_BYTES));
      if (batch) yield batch;
    }
  }
  yield* reader.end();
}

/**
 * The splitter's state as an object with methods, not closures: a generator that made fresh
 * closures per call had its optimized code thrown out ("wrong call target") on every new file,
 * two thousand times in a 1 GB dream, and ran in the interpreter meanwhile.
 */
class LineReader {
  private readonly maxLine: number;
  private readonly limit: number;
  private readonly strict = new Utf8Stream();
  private lenient: TextDecoder | null = null;
  private carry: string[] = [];
  private carryLen = 0;
  private lineNo = 1;
  /**
   * The line being cut: its head and the byte size of everything seen of it so far.
   * `cr`: what was seen of it so far ends with `\r`, which is line ending if `\n` comes next.
   */
  private cut: { head: string; bytes: number; cr: boolean } | null = null;

  constructor(private readonly opts: ReadLinesOptions) {
    this.maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE;
    this.limit = opts.truncateAt ?? this.maxLine;
  }

  push(bytes: Buffer): LineBatch | null {
    return this.split(this.decode(bytes));
  }

  /** The lines left when the bytes end: the last partial line, whole or cut. */
  end(): LineBatch[] {
    const out: LineBatch[] = [];
    const batch = this.split(this.decode());
    if (batch) out.push(batch);
    if (this.cut) {
      out.push({ first: this.lineNo, lines: [this.cutLine(this.lineNo, this.cut.head, this.cut.bytes)] });
    } else if (this.carry.length > 0) {
      let last = this.carry.join('');
      if (last.endsWith('\r')) last = last.slice(0, -1);
      out.push({ first: this.lineNo, lines: [last] });
    }
    return out;
  }

  private decode(bytes?: Buffer): string {
    if (this.lenient) return bytes ? this.lenient.decode(bytes, { stream: true }) : this.lenient.decode();
    const text = this.strict.decode(bytes);
    if (text !== null) return text;
    // Invalid UTF-8 past the head: keep going with replacement characters, say so once,
    // naming the line of the first replacement (lines before it in this chunk are complete).
    this.lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
    const rest = this.lenient.decode(this.strict.undecoded, { stream: bytes !== undefined });
    const bad = rest.indexOf('\uFFFD');
    let line = this.lineNo;
    for (let i = rest.indexOf('\n'); i >= 0 && i < bad; i = rest.indexOf('\n', i + 1)) line++;
    this.opts.onInvalidUtf8?.(line);
    return rest;
  }

  private tooLong(): never {
    throw new InvalidInputError(
      'line_too_long',
      `line ${this.lineNo} is longer than ${this.maxLine} characters; refusing to hold it in memory`,
      { line: this.lineNo },
    );
  }

  private cutLine(line: number, head: string, bytes: number): string {
    this.opts.onTruncated?.(line, bytes);
    return headOf(head) + truncationNote(bytes);
  }

  private appendCarry(text: string): void {
    if (this.cut) {
      this.cut.bytes += Buffer.byteLength(text);
      this.cut.cr = text.endsWith('\r');
      return;
    }
    this.carry.push(text);
    this.carryLen += text.length;
    if (this.carryLen <= this.limit) return;
    if (this.opts.truncateAt === undefined) this.tooLong();
    const held = this.carry.join('');
    this.cut = { head: headOf(held), bytes: Buffer.byteLength(held), cr: held.endsWith('\r') };
    this.carry = [];
    this.carryLen = 0;
  }

  private split(text: string): LineBatch | null {
    const nl = text.indexOf('\n');
    if (nl < 0) {
      if (text.length > 0) this.appendCarry(text);
      return null;
    }
    const parts = text.split('\n');
    const tail = parts.pop()!;
    const first = this.lineNo;
    let done = 0;
    if (this.cut) {
      // The first part ends the line being cut; a `\r` before its `\n` is line ending, not content.
      const end = parts[0]!;
      const cr = end === '' ? this.cut.cr : end.endsWith('\r');
      const bytes = this.cut.bytes + Buffer.byteLength(end) - (cr ? 1 : 0);
      parts[0] = this.cutLine(first, this.cut.head, bytes);
      this.cut = null;
      done = 1;
    } else if (this.carry.length > 0) parts[0] = this.carry.join('') + parts[0]!;
    this.carry = [];
    this.carryLen = 0;
    for (let i = done; i < parts.length; i++) {
      let l = parts[i]!;
      if (l.charCodeAt(l.length - 1) === 13) l = l.slice(0, -1);
      if (l.length > this.limit) {
        if (this.opts.truncateAt === undefined) {
          this.lineNo = first + i;
          this.tooLong();
        }
        l = this.cutLine(first + i, l, Buffer.byteLength(l));
      }
      parts[i] = l;
    }
    this.lineNo += parts.length;
    if (tail.length > 0) this.appendCarry(tail);
    return { first, lines: parts };
  }
}
