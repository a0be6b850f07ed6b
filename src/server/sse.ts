/**
 * Server-sent events in the form the SDK's Stream parser reads (core/streaming.mjs): each event
 * is `event: <type>` + `data: <json>` + a blank line; the SDK skips events without a name and
 * `ping`s, and raises an `error` event as an APIError. The stream ends when the source does.
 */
import { open } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFinal } from '../dreams/lifecycle.ts';
import type { DreamEvent } from '../dreams/event-log.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import type { ServerContext } from './context.ts';
import { dreamEndEvent, dreamEventView, type ApiEvent } from './session-view.ts';
import { dreamEventsFile } from './session-source.ts';
import { errorBody } from './errors.ts';

const PING_EVERY_MS = 15_000;

/** Send `events` as SSE until they end, the client leaves or `closing` fires. */
export async function sendSse(req: FastifyRequest, reply: FastifyReply, events: (signal: AbortSignal) => AsyncIterable<ApiEvent>, closing: AbortSignal): Promise<void> {
  const abort = new AbortController();
  const onClose = () => abort.abort();
  req.raw.on('close', onClose);
  closing.addEventListener('abort', onClose, { once: true });
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  // Comments keep proxies from timing out an idle stream (a dream between batches).
  const ping = setInterval(() => res.write('event: ping\ndata: {}\n\n'), PING_EVERY_MS);
  try {
    for await (const e of events(abort.signal)) {
      if (abort.signal.aborted) break;
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    }
  } catch (e) {
    req.log.error({ err: e }, 'event stream failed');
    res.write(`event: error\ndata: ${JSON.stringify(errorBody('api_error', `the event stream failed: ${(e as Error).message}`, 'stream_failed'))}\n\n`);
  } finally {
    clearInterval(ping);
    req.raw.off('close', onClose);
    closing.removeEventListener('abort', onClose);
    res.end();
  }
}

const TAIL_POLL_MS = 150;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Complete lines appended to a file since the last call; a line still being written waits. */
class FileTail {
  private offset = 0;
  private partial = '';
  constructor(private readonly file: string) {}

  async next(): Promise<DreamEvent[]> {
    let fh;
    try {
      fh = await open(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
      this.offset += bytesRead;
      const text = this.partial + buf.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      const out: DreamEvent[] = [];
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          out.push(JSON.parse(line) as DreamEvent);
        } catch {
          // A line torn by a kill mid-append; the log reader skips it too.
        }
      }
      return out;
    } finally {
      await fh.close();
    }
  }
}

/**
 * A dream's events as they are appended, ending with its final status. Polls the log: the
 * runner may be this server or another process on the same root (a CLI `dream run`).
 */
export async function* tailDream(ctx: ServerContext, dream: DreamRecord, signal: AbortSignal): AsyncGenerator<ApiEvent> {
  const tail = new FileTail(dreamEventsFile(ctx, dream.id));
  while (!signal.aborted) {
    // Read the status before the log: a final status seen now means every event is already written.
    const current = await ctx.dreams.get(dream.id);
    for (const e of await tail.next()) yield dreamEventView(current, e);
    if (isFinal(current.status)) {
      yield dreamEndEvent(current);
      return;
    }
    await sleep(TAIL_POLL_MS, signal);
  }
}
