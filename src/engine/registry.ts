import { InvalidInputError } from '../core/errors.ts';
import { createClaudeClient } from '../llm/client.ts';
import { loadAgentsWithOverrides } from '../outcomes/agents.ts';
import type { Engine } from './types.ts';
import { LocalEngine } from './local/engine.ts';
import { ClaudeEngine } from './claude/engine.ts';

/** Settings an engine may need; the local engine needs none. Plain data: it crosses into workers. */
export interface EngineOptions {
  /** Model id for every agent (the dream's model), when it is a claude-… id. */
  model?: string;
  /** Save every model request and response here. */
  record?: string;
  /** Answer every model request from recordings here; no network, no key needed. */
  replay?: string;
  /** A directory of agent definitions that add to or override agents/. */
  agentsDir?: string;
}

/** Engines by name. Factories, not instances: each caller (worker thread) gets its own. */
const FACTORIES: Readonly<Record<string, (o: EngineOptions) => Engine>> = {
  local: () => new LocalEngine(),
  claude: (o) =>
    new ClaudeEngine({
      client: createClaudeClient({ ...(o.record ? { record: o.record } : {}), ...(o.replay ? { replay: o.replay } : {}) }),
      agents: () => loadAgentsWithOverrides(o.agentsDir),
      ...(o.model ? { model: o.model } : {}),
    }),
};

export function engineNames(): string[] {
  return Object.keys(FACTORIES).sort();
}

export function createEngine(name: string, options: EngineOptions = {}): Engine {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!factory) {
    throw new InvalidInputError(
      'unknown_engine',
      `engine: unknown engine ${JSON.stringify(name)}; known engines: ${engineNames().join(', ')}`,
      { field: 'engine', value: name, known: engineNames() },
    );
  }
  return factory(options);
}
