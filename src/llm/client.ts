import Anthropic from '@anthropic-ai/sdk';
import { claudeConfig } from './config.ts';
import { recordingFetch, replayingFetch } from './transport.ts';

export interface ClientOptions {
  /** Save every request and response under this directory. */
  record?: string;
  /** Answer every request from recordings in this directory; no network. */
  replay?: string;
  /** Retries for 429, 529 and 5xx (the SDK backs off and honors retry-after). */
  maxRetries?: number;
  timeoutMs?: number;
}

/**
 * The SDK client the Claude engine uses. Replay needs no key (nothing is sent); otherwise the
 * key and base URL come from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL, as the SDK reads them.
 */
export function createClaudeClient(opts: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): Anthropic {
  const config = opts.replay ? { apiKey: env.ANTHROPIC_API_KEY?.trim() || 'replay', baseURL: env.ANTHROPIC_BASE_URL?.trim() || 'http://replay.invalid' } : claudeConfig(env);
  const fetchImpl = opts.replay ? replayingFetch(opts.replay) : opts.record ? recordingFetch(opts.record) : undefined;
  return new Anthropic({
    apiKey: config.apiKey,
    ...(config.baseURL ? { baseURL: config.baseURL } : {}),
    maxRetries: opts.maxRetries ?? 4,
    timeout: opts.timeoutMs ?? 120_000,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
