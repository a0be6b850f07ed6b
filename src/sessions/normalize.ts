import type { FileHandle } from 'node:fs/promises';
import { DreamworkError, InvalidInputError } from '../core/errors.ts';
import { classifyDocument, type Sniff } from './detect.ts';
import { ParseContext, type DraftEvent } from './events.ts';
import { parseClaudeCode } from './formats/claude-code.ts';
import { jsonlRecords } from './formats/jsonl.ts';
import { parseManagedArray, parseManagedJsonl } from './formats/managed-agents.ts';
import { parseMessages } from './formats/messages.ts';
import { parseOpenAiChat } from './formats/openai-chat.ts';
import { parseTextLog } from './formats/text-log.ts';
import { ContentIdHasher } from './hash.ts';
import { readLineBatches, type LineBatch, type ReadLinesOptions } from './lines-reader.ts';
import { LONG_LINE_CHARS, LONG_LINE_HEAD } from './long-lines.ts';
import { LineRedactor } from './redact.ts';
import type { SourceFormat } from './schema.ts';
import { openContent, tap } from './source.ts';
import type { EventWriter } from './writer.ts';

/**
 * Second pass: runs the detected format's parser over the file and feeds the events to the
 * writer, writing the bytes it reads to `copyTo` when given (the stored original of a plain
 * file). It re-hashes what it reads, so a file that changed between the first pass and this one
 * fails instead of being stored under the wrong id, and a stored copy is the bytes that were parsed.
 */
export interface NormalizeInput {
  file: string;
  gzip: boolean;
  sessionId: string;
  sniff: Sniff;
  onBytes?: (bytes: number) => void;
  copyTo?: FileHandle;
}

/** A JSON document must be parsed whole; past this size, JSONL is the way (and we say so). */
export const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;

export async function normalize(
  input: NormalizeInput,
  ctx: ParseContext,
  writer: EventWriter,
): Promise<SourceFormat> {
  const hasher = new ContentIdHasher('session');
  // A gzip cut short was already accepted by the scan (which recorded why); read what it holds.
  const chunks = tap(
    openContent(input.file, input.gzip, () => {}),
    (c) => {
      hasher.update(c);
      input.onBytes?.(hasher.bytes);
    },
    input.copyTo,
  );
  let format: SourceFormat;
  if (input.sniff.mode === 'json') {
    format = await normalizeDocument(chunks, ctx, writer);
  } else {
    format = input.sniff.mode === 'jsonl' ? input.sniff.format : 'text_log';
    // JSONL records must stay whole to parse; a log line may be cut (long-lines.ts).
    const batches = readLineBatches(chunks, lineOptions(ctx, format === 'text_log'));
    if (format === 'text_log') await drainLog(batches, ctx, writer);
    else
      await drain(
        format === 'managed_agents'
          ? parseManagedJsonl(jsonlRecords(batches, ctx), ctx)
          : parseClaudeCode(jsonlRecords(batches, ctx), ctx),
        writer,
        false,
      );
  }
  if (hasher.digestId() !== input.sessionId) {
    throw new DreamworkError('source_changed', 'file changed while it was being imported; import it again');
  }
  return format;
}

function lineOptions(ctx: ParseContext, cutLongLines: boolean): ReadLinesOptions {
  const opts: ReadLinesOptions = {
    onInvalidUtf8: (line) =>
      ctx.warn(line, 'invalid UTF-8 from here on; bytes shown as U+FFFD in events (original kept)'),
  };
  if (!cutLongLines) return opts;
  let cut = 0;
  opts.truncateAt = LONG_LINE_CHARS;
  opts.onTruncated = (line, bytes) => {
    ctx.setMeta('long_lines_cut', ++cut);
    ctx.warn(
      line,
      `line of ${bytes} bytes cut to its first ${LONG_LINE_HEAD} characters in events (original kept)`,
    );
  };
  return opts;
}

/** Log lines are redacted by the parser (line-aware); their count joins the writer's. */
async function drainLog(
  batches: AsyncIterable<LineBatch>,
  ctx: ParseContext,
  writer: EventWriter,
): Promise<void> {
  const redactor = new LineRedactor();
  await drain(parseTextLog(batches, ctx, redactor), writer, true);
  writer.redactions += redactor.count;
}

async function drain(
  events: AsyncIterable<DraftEvent> | Iterable<DraftEvent>,
  writer: EventWriter,
  preRedacted: boolean,
): Promise<void> {
  for await (const ev of events) await writer.add(ev, preRedacted);
}

async function normalizeDocument(
  chunks: AsyncIterable<Buffer>,
  ctx: ParseContext,
  writer: EventWriter,
): Promise<SourceFormat> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > MAX_JSON_DOCUMENT_BYTES) {
      throw new InvalidInputError(
        'document_too_large',
        `JSON document larger than ${MAX_JSON_DOCUMENT_BYTES} bytes; export it as JSONL (one event per line) instead`,
      );
    }
    parts.push(Buffer.from(c)); // a copy: chunks are reused
  }
  const text = new TextDecoder('utf-8').decode(Buffer.concat(parts));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InvalidInputError('invalid_json', `not valid JSON: ${describeJsonError(e as Error, text)}`);
  }
  const kind = classifyDocument(doc);
  if (kind === null) {
    // Valid JSON we do not understand is still text a person may want mined.
    ctx.warn(0, 'JSON document of an unrecognized shape; imported as a text log');
    await drainLog(readLineBatches([Buffer.from(text, 'utf8')], lineOptions(ctx, true)), ctx, writer);
    return 'text_log';
  }
  if (kind.format === 'managed_agents') await drain(parseManagedArray(kind.events, ctx), writer, false);
  else if (kind.format === 'messages') await drain(parseMessages(kind.doc, ctx), writer, false);
  else await drain(parseOpenAiChat(kind.doc, ctx), writer, false);
  return kind.format;
}

/** `line L, column C: message`, from V8's "at position N" when it gives one. */
export function describeJsonError(e: Error, text: string): string {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return e.message;
  const pos = Math.min(Number(m[1]), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const message = e.message.replace(/\s*\(line \d+ column \d+\)/, '');
  return `line ${line}, column ${pos - lineStart + 1}: ${message}`;
}
