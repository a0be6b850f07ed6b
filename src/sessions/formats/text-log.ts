import type { DraftEvent, ParseContext } from '../events.ts';
import type { LineBatch } from '../lines-reader.ts';
import { LineRedactor } from '../redact.ts';
import { RunEndTracker } from '../run-end.ts';
import { parseLineTimestamp } from '../timestamps.ts';

/**
 * Plain text and CI build logs: `log.lines` events of up to LINES_PER_EVENT consecutive lines
 * (fewer when the lines are long, so one event stays small), content = the lines joined by `\n`
 * exactly as they are (ANSI codes and lone `\r` kept), secrets redacted line by line.
 * Streams: holds one event's lines at a time, whatever the file size.
 */
export const LINES_PER_EVENT = 500;
/**
 * Unless one line is longer, an event's text stays under this many characters, so it and its
 * JSON line are ordinary young-generation strings (V8 maps anything over 128 KiB as a large
 * object of its own: fresh pages, faulted in and unmapped again at the next GC; at up to a
 * megabyte an event, that was a third of an import's page faults).
 */
export const MAX_EVENT_CHARS = 30000;

export async function* parseTextLog(
  batches: AsyncIterable<LineBatch>,
  ctx: ParseContext,
  redactor: LineRedactor = new LineRedactor(),
): AsyncGenerator<DraftEvent> {
  ctx.kind = 'build_log';
  let lines: string[] = [];
  let chars = 0;
  let first = 0;
  let sawSyslog = false;
  const end = new RunEndTracker();

  const emit = (): DraftEvent => {
    // Only the first and last stamps of a chunk matter (processed_at, started_at, ended_at), so
    // scan in from both ends instead of parsing every line of a big log.
    let chunkTime: string | null = null;
    for (let i = 0; i < lines.length && chunkTime === null; i++) {
      const ts = parseLineTimestamp(lines[i]!);
      if (ts?.kind === 'iso') chunkTime = ts.iso;
      else if (ts?.kind === 'syslog') sawSyslog = true;
    }
    if (chunkTime !== null) {
      ctx.startedAt ??= chunkTime;
      for (let i = lines.length - 1; i >= 0; i--) {
        const ts = parseLineTimestamp(lines[i]!);
        if (ts?.kind === 'iso') {
          ctx.endedAt = ts.iso;
          break;
        }
      }
    }
    const ev: DraftEvent = {
      type: 'log.lines',
      processed_at: chunkTime,
      source_lines: [first, first + lines.length - 1],
      content: [{ type: 'text', text: lines.join('\n') }],
    };
    lines = [];
    chars = 0;
    return ev;
  };

  for await (const batch of batches) {
    for (let i = 0; i < batch.lines.length; i++) {
      const raw = batch.lines[i]!;
      if (lines.length === 0) first = batch.first + i;
      end.push(raw);
      lines.push(redactor.redactLine(raw));
      chars += raw.length + 1;
      if (lines.length >= LINES_PER_EVENT || chars >= MAX_EVENT_CHARS) yield emit();
    }
  }
  if (lines.length > 0) yield emit();
  ctx.finalStatus = end.finalStatus();
  if (sawSyslog && ctx.startedAt === null)
    ctx.setMeta('timestamps', 'syslog (no year): started_at/ended_at left null');
}
