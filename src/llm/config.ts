import { DreamworkError, ExitCode } from '../core/errors.ts';

/** What the Claude engine needs to reach the Messages API, read the way the SDK reads it. */
export interface ClaudeConfig {
  apiKey: string;
  /** ANTHROPIC_BASE_URL, or the SDK's default when unset. */
  baseURL: string | undefined;
}

export class MissingApiKeyError extends DreamworkError {
  constructor() {
    super(
      'missing_api_key',
      'the claude engine needs an API key: set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy or a local server), or use --engine local',
      { type: 'authentication_error', status: 401, exitCode: ExitCode.badInput },
    );
  }
}

/** Read the key and base URL; a missing key is a clear error, never a silent fallback. */
export function claudeConfig(env: NodeJS.ProcessEnv = process.env): ClaudeConfig {
  const apiKey = env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) throw new MissingApiKeyError();
  const baseURL = env.ANTHROPIC_BASE_URL?.trim() || undefined;
  return { apiKey, baseURL };
}

/** The model a claude dream names when neither --model nor an agent says otherwise. */
export const DEFAULT_CLAUDE_MODEL = 'claude-sonnet-4-5';
