import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/serve.ts';
import { tempRoot } from './cli.ts';

export const TEST_KEY = 'test-key-0123456789';

export interface TestServer {
  server: RunningServer;
  root: string;
  /** The official SDK pointed at the server; no retries so each error surfaces once. */
  client: Anthropic;
  close(): Promise<void>;
}

/** A real `dream serve` on 127.0.0.1 with an ephemeral port, over a fresh temp root. */
export async function startTestServer(opts: Partial<Omit<ServeOptions, 'paths'>> & { root?: string } = {}): Promise<TestServer> {
  const root = opts.root ?? (await tempRoot('dw-server-'));
  const server = await startServer({ ...opts, paths: new RootPaths(root), port: 0, keys: opts.keys ?? [TEST_KEY] });
  const client = new Anthropic({ baseURL: server.url, apiKey: TEST_KEY, maxRetries: 0 });
  return { server, root, client, close: () => server.close() };
}

/** The SDK error a request rejects with (the test fails if it resolves or throws something else). */
export async function apiFailure(p: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(Anthropic.APIError);
  return e as InstanceType<typeof Anthropic.APIError>;
}
