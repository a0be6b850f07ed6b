import { InvalidInputError } from '../core/errors.ts';

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
}

export const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

export async function* readLineBatches(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  opts: ReadLinesOptions = {},
): AsyncGenerator<LineBatch> {
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE;
  let decoder = new TextDecoder('utf-8', { fatal: true });
  let lenient = false;
  let carry: string[] = [];
  let carryLen = 0;
  let lineNo = 1;

  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      // Invalid UTF-8 past the head: keep going with replacement characters, say so once,
      // naming the line of the first replacement (lines before it in this chunk are complete).
      decoder = new TextDecoder('utf-8', { fatal: false });
      const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      if (!lenient) {
        const bad = text.indexOf('\uFFFD');
        let line = lineNo;
        for (let i = text.indexOf('\n'); i >= 0 && i < bad; i = text.indexOf('\n', i + 1)) line++;
        opts.onInvalidUtf8?.(line);
      }
      lenient = true;
      return text;
    }
  };

  const tooLong = (): never => {
    throw new InvalidInputError(
      'line_too_long',
      `line ${lineNo} is longer than ${maxLine} characters; refusing to hold it in memory`,
      { line: lineNo },
    );
  };

  const process = (text: string): LineBatch | null => {
    const nl = text.indexOf('\n');
    if (nl < 0) {
      if (text.length > 0) {
        carry.push(text);
        carryLen += text.length;
        if (carryLen > maxLine) tooLong();
      }
      return null;
    }
    const parts = text.split('\n');
    parts[0] = carry.length > 0 ? carry.join('') + parts[0]! : parts[0]!;
    const tail = parts.pop()!;
    carry = tail.length > 0 ? [tail] : [];
    carryLen = tail.length;
    const first = lineNo;
    for (let i = 0; i < parts.length; i++) {
      const l = parts[i]!;
      if (l.length > maxLine) tooLong();
      if (l.charCodeAt(l.length - 1) === 13) parts[i] = l.slice(0, -1);
    }
    lineNo += parts.length;
    return { first, lines: parts };
  };

  for await (const chunk of chunks) {
    const batch = process(decode(chunk));
    if (batch) yield batch;
  }
  const rest = decode();
  const batch = process(rest);
  if (batch) yield batch;
  if (carry.length > 0) {
    let last = carry.join('');
    if (last.endsWith('\r')) last = last.slice(0, -1);
    yield { first: lineNo, lines: [last] };
  }
}
