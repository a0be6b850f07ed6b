import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClaudeClient } from '../../src/llm/client.ts';
import { MissingApiKeyError } from '../../src/llm/config.ts';
import { callStructured } from '../../src/llm/structured.ts';
import { errorResponse, FakeMessagesServer, toolUseResponse } from '../helpers/fake-anthropic.ts';

const Out = z.object({ lessons: z.array(z.object({ title: z.string().min(1), sessions: z.number().int().min(1) })) });

let server: FakeMessagesServer;
beforeEach(async () => {
  server = await new FakeMessagesServer().start();
});
afterEach(async () => {
  await server.close();
});

function client(extra: Parameters<typeof createClaudeClient>[0] = {}) {
  return createClaudeClient({ maxRetries: 3, ...extra }, { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.url });
}

function ask(c = client()) {
  return callStructured({
    client: c,
    model: 'claude-sonnet-4-5',
    maxTokens: 1024,
    system: [{ type: 'text', text: 'You consolidate lessons.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: 'Lessons from these runs: …' }],
    schema: Out,
    toolName: 'record_lessons',
    toolDescription: 'Record the lessons.',
  });
}

describe('structured output through a forced tool call, via the real SDK', () => {
  it('sends the zod-derived tool schema, forces the tool, and validates the result', async () => {
    server.script([
      {
        expect: (r) => {
          expect(r.path).toBe('/v1/messages');
          expect(r.headers['x-api-key'] ?? r.headers.authorization).toMatch(/sk-ant-test/);
          expect(r.body.tool_choice).toEqual({ type: 'tool', name: 'record_lessons' });
          const tools = r.body.tools as { name: string; input_schema: { required: string[] } }[];
          expect(tools[0]!.input_schema.required).toEqual(['lessons']);
        },
        body: toolUseResponse('record_lessons', { lessons: [{ title: 'npm ci fails on ERESOLVE', sessions: 3 }] }, { cache_read_input_tokens: 900 }),
      },
    ]);
    const r = await ask();
    expect(r.value.lessons[0]!.title).toBe('npm ci fails on ERESOLVE');
    expect(r.calls).toBe(1);
    expect(r.usage).toEqual({ input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 900 });
    server.assertDone();
  });

  it('repairs an invalid result once, quoting the validation error', async () => {
    server.script([
      { body: toolUseResponse('record_lessons', { lessons: [{ title: '', sessions: 0 }] }) },
      {
        expect: (r) => {
          const last = (r.body.messages as { role: string; content: { type: string; is_error?: boolean; content?: string }[] }[]).at(-1)!;
          expect(last.content[0]!.type).toBe('tool_result');
          expect(last.content[0]!.is_error).toBe(true);
          expect(last.content[0]!.content).toMatch(/lessons\.0\.title/);
        },
        body: toolUseResponse('record_lessons', { lessons: [{ title: 'fixed', sessions: 1 }] }),
      },
    ]);
    const r = await ask();
    expect(r.calls).toBe(2);
    expect(r.usage.input_tokens).toBe(200);
    server.assertDone();
  });

  it('fails with a clear error when the repair is invalid too', async () => {
    server.script([{ body: toolUseResponse('record_lessons', { nope: 1 }) }, { body: toolUseResponse('record_lessons', { nope: 2 }) }]);
    await expect(ask()).rejects.toMatchObject({ code: 'invalid_model_output', message: expect.stringMatching(/record_lessons: invalid output after 2 call\(s\): lessons/) });
    server.assertDone();
  });

  it('retries 429 (honoring retry-after), 529 and 500', async () => {
    server.script([
      errorResponse(429, 'rate_limit_error', 'slow down', { 'retry-after': '1' }),
      errorResponse(529, 'overloaded_error', 'overloaded'),
      errorResponse(500, 'api_error', 'boom'),
      { body: toolUseResponse('record_lessons', { lessons: [] }) },
    ]);
    const started = Date.now();
    const r = await ask();
    expect(r.value.lessons).toEqual([]);
    expect(server.requests).toHaveLength(4);
    // retry-after: 1 means at least a second before the second attempt.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    server.assertDone();
  });

  it('times out a slow response and retries it', async () => {
    server.script([{ delayMs: 1500, body: toolUseResponse('record_lessons', { lessons: [] }) }, { body: toolUseResponse('record_lessons', { lessons: [{ title: 'fast', sessions: 1 }] }) }]);
    const r = await ask(client({ timeoutMs: 400 }));
    expect(r.value.lessons[0]!.title).toBe('fast');
    expect(server.requests).toHaveLength(2);
    server.assertDone();
  });

  it('records every exchange and replays it with no network, identically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-rec-'));
    server.script([{ body: toolUseResponse('record_lessons', { lessons: [{ title: 'recorded', sessions: 2 }] }) }]);
    const live = await ask(client({ record: dir }));
    expect(await readdir(dir)).toHaveLength(1);
    await server.close();
    const replayed = await ask(createClaudeClient({ replay: dir }, {}));
    expect(replayed).toEqual(live);
    // A request that was never recorded is an error that says so, not a network call.
    await expect(
      callStructured({ client: createClaudeClient({ replay: dir }, {}), model: 'claude-sonnet-4-5', maxTokens: 10, system: [], messages: [{ role: 'user', content: 'other' }], schema: Out, toolName: 'record_lessons', toolDescription: '' }),
    ).rejects.toThrow(/no recorded response for POST \/v1\/messages/);
  });

  it('refuses to start without an API key, with a clear message', () => {
    expect(() => createClaudeClient({}, {})).toThrow(MissingApiKeyError);
    expect(() => createClaudeClient({}, {})).toThrow(/set ANTHROPIC_API_KEY/);
  });
});
