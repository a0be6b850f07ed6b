/**
 * Record and replay for the Messages API, as `fetch` wrappers handed to the SDK. A request is
 * keyed by a hash of its method, path and canonical JSON body (never its headers, so no key is
 * ever written); the n-th identical request maps to the n-th recording. Replay never touches the
 * network: a request with no recording is an error that says which.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../core/atomic.ts';
import { InvalidInputError } from '../core/errors.ts';
import { sha256Hex } from '../core/ids.ts';

type Fetch = typeof fetch;

interface Recording {
  request: { method: string; path: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: string };
}

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function describe(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): Promise<Recording['request'] & { key: string }> {
  const request = input instanceof Request ? input : new Request(input, init);
  const text = init?.body !== undefined && init.body !== null ? String(init.body) : await request.clone().text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: keyed by its text.
  }
  const path = new URL(request.url).pathname;
  const key = sha256Hex(`${request.method} ${path}\n${canonical(body)}`).slice(0, 24);
  return { method: request.method, path, body, key };
}

class Occurrences {
  private readonly seen = new Map<string, number>();
  next(key: string): number {
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return n;
  }
}

export function recordingFetch(dir: string, inner: Fetch = fetch): Fetch {
  const occurrences = new Occurrences();
  return async (input, init) => {
    const req = await describe(input, init);
    const n = occurrences.next(req.key);
    const response = await inner(input, init);
    const body = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      if (k === 'content-type' || k.startsWith('retry-after') || k === 'request-id' || k.startsWith('anthropic-')) headers[k] = v;
    });
    await mkdir(dir, { recursive: true });
    const recording: Recording = { request: { method: req.method, path: req.path, body: req.body }, response: { status: response.status, headers, body } };
    await writeJsonAtomic(join(dir, `${req.key}-${n}.json`), recording);
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

export function replayingFetch(dir: string): Fetch {
  const occurrences = new Occurrences();
  return async (input, init) => {
    const req = await describe(input, init);
    const n = occurrences.next(req.key);
    const file = join(dir, `${req.key}-${n}.json`);
    let recording: Recording;
    try {
      recording = JSON.parse(await readFile(file, 'utf8')) as Recording;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        // Answered as an API error (not thrown), so the SDK neither retries nor hides the message.
        const message = `--replay ${dir}: no recorded response for ${req.method} ${req.path} (request ${req.key}, occurrence ${n + 1}); the inputs or prompts differ from the recorded run`;
        return new Response(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message } }), {
          status: 400,
          headers: { 'content-type': 'application/json', 'x-should-retry': 'false' },
        });
      }
      throw new InvalidInputError('replay_corrupt', `--replay ${dir}: ${file} is not a valid recording (${(e as Error).message})`);
    }
    return new Response(recording.response.body, { status: recording.response.status, headers: recording.response.headers });
  };
}
