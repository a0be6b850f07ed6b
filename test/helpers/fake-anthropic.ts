/**
 * A fake Messages API on 127.0.0.1, driven by a script of responses, for testing the Claude
 * engine through the real SDK (baseURL). It records every request and fails loudly: a request
 * beyond the script is answered 500 and listed in `unexpected`; `assertDone` throws when steps
 * were left unused.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface Step {
  /** Optional check of the request this step answers; a mismatch is a test failure. */
  expect?: (req: RecordedRequest) => void;
  status?: number;
  headers?: Record<string, string>;
  body: unknown | ((req: RecordedRequest) => unknown);
  delayMs?: number;
}

export class FakeMessagesServer {
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: RecordedRequest[] = [];
  readonly failures: string[] = [];
  private steps: Step[] = [];
  private responder: ((req: RecordedRequest) => Step) | undefined;
  private server: Server | undefined;
  url = '';

  async start(steps: Step[] = []): Promise<this> {
    this.steps = [...steps];
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : {} };
        this.requests.push(recorded);
        const step = this.steps.shift() ?? this.responder?.(recorded);
        if (!step) {
          this.unexpected.push(recorded);
          res.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'fake server: no scripted response left' } }));
          return;
        }
        try {
          step.expect?.(recorded);
        } catch (e) {
          this.failures.push((e as Error).message);
        }
        const send = () => {
          const body = typeof step.body === 'function' ? (step.body as (r: RecordedRequest) => unknown)(recorded) : step.body;
          res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers });
          res.end(JSON.stringify(body));
        };
        if (step.delayMs) setTimeout(send, step.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  /** Answer every request beyond the script with `fn` (for whole dreams, whose order varies). */
  respond(fn: (req: RecordedRequest) => Step): void {
    this.responder = fn;
  }

  script(steps: Step[]): void {
    this.steps.push(...steps);
  }

  assertDone(): void {
    const problems = [...this.failures];
    if (this.steps.length > 0) problems.push(`${this.steps.length} scripted response(s) never requested`);
    if (this.unexpected.length > 0) problems.push(`${this.unexpected.length} unexpected request(s)`);
    if (problems.length > 0) throw new Error(`fake Messages API: ${problems.join('; ')}`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

let counter = 0;

/** A Messages API response whose only content is a call of `name` with `input`. */
export function toolUseResponse(
  name: string,
  input: unknown,
  usage: Partial<{ input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number }> = {},
): Record<string, unknown> {
  counter++;
  return {
    id: `msg_fake${counter}`,
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'tool_use', id: `toolu_fake${counter}`, name, input }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
  };
}

export function errorResponse(status: number, type: string, message: string, headers: Record<string, string> = {}): Step {
  return { status, headers, body: { type: 'error', error: { type, message } } };
}
