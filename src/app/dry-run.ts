/**
 * `dream run --dry-run`: what a claude dream would send, estimated before anything is sent. The
 * sessions are imported (a local step), each extractor request is built exactly as the engine
 * would, and its size is turned into tokens at about 4 characters a token: an estimate, said so.
 */
import type { RootPaths } from '../core/root.ts';
import { extractorFor, extractorRequest } from '../engine/claude/engine.ts';
import { DEFAULT_CLAUDE_MODEL } from '../llm/config.ts';
import { estimateCostUsd } from '../llm/usage.ts';
import { loadAgentsWithOverrides } from '../outcomes/agents.ts';
import { importSessions } from '../sessions/import.ts';
import { readEventsArray } from '../sessions/store.ts';

const CHARS_PER_TOKEN = 4;
/** A guess at output per extractor call: findings are short. */
const OUTPUT_PER_CALL = 1_500;

export interface DryRunEstimate {
  model: string;
  sessions: number;
  calls: number;
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  estimated_cost_usd: number | null;
  note: string;
}

export async function estimateDream(
  paths: RootPaths,
  inputs: string[],
  opts: { model?: string; agentsDir?: string; instructions?: string | null },
): Promise<DryRunEstimate> {
  const report = await importSessions(paths, inputs);
  const agents = await loadAgentsWithOverrides(opts.agentsDir);
  const model = opts.model ?? DEFAULT_CLAUDE_MODEL;
  const est: DryRunEstimate = {
    model,
    sessions: 0,
    calls: 0,
    input_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: 0,
    estimated_cost_usd: null,
    note: `estimated at ${CHARS_PER_TOKEN} characters per token, ${OUTPUT_PER_CALL} output tokens per call, one extractor call per session plus grading; nothing was sent`,
  };
  const cachedPrefixes = new Set<string>();
  for (const s of [...report.imported, ...report.existing]) {
    const agent = extractorFor(agents, s.kind);
    const req = extractorRequest(agent, s, await readEventsArray(paths, s.id), opts.instructions ?? null, '(input store)');
    const prefix = Math.ceil(req.system.reduce((n, b) => n + b.text.length, 0) / CHARS_PER_TOKEN);
    // The stable prefix is written to the cache once per agent, then read.
    if (cachedPrefixes.has(agent.name)) est.cache_read_input_tokens += prefix;
    else {
      est.cache_creation_input_tokens += prefix;
      cachedPrefixes.add(agent.name);
    }
    est.input_tokens += Math.ceil(req.user.length / CHARS_PER_TOKEN);
    est.output_tokens += OUTPUT_PER_CALL;
    est.sessions++;
    est.calls++;
  }
  est.estimated_cost_usd = estimateCostUsd(model, est);
  return est;
}
