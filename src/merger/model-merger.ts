/**
 * The merger on Claude: the deterministic merger builds the store (grouping, counts,
 * contradictions, provenance); the merger agent rewords lessons the grader found lacking. It
 * returns new titles and bodies only — provenance and values are never the model's to change.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { callStructured } from '../llm/structured.ts';
import { ZERO_USAGE, type Usage } from '../llm/usage.ts';
import type { AgentDefinition } from '../outcomes/agents.ts';
import type { Gap } from '../outcomes/schema.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';

const Rewrites = z.object({
  memories: z.array(z.object({ path: z.string(), title: z.string().min(1).max(300), body: z.string().min(1).max(4000) })).max(200),
});

export async function rewriteWithModel(opts: {
  client: Anthropic;
  agent: AgentDefinition;
  model?: string;
  candidate: StoreSnapshot;
  gaps: readonly Gap[];
}): Promise<{ rewrites: Record<string, { title: string; body: string }>; usage: Usage }> {
  const wanted = opts.gaps.filter((g) => g.action === 'rewrite');
  const paths = [...new Set(wanted.map((g) => g.memory_path))].sort();
  const targets = opts.candidate.filter((m) => paths.includes(m.path));
  if (targets.length === 0) return { rewrites: {}, usage: ZERO_USAGE };
  const request = [
    '## Memories to revise',
    ...targets.map((m) => `=== ${m.path}\n${m.content}`),
    '',
    "## The grader's gaps",
    ...wanted.map((g) => `- ${g.memory_path}: ${g.problem}`),
    '',
    'Rewrite the title and body (the lesson) of each memory above so the gaps are closed. Keep every fact true to its provenance; do not invent commands, versions or causes the evidence does not show. Record them with record_rewrites.',
  ].join('\n');
  const result = await callStructured({
    client: opts.client,
    model: opts.model ?? opts.agent.model,
    maxTokens: opts.agent.max_tokens,
    system: [{ type: 'text', text: opts.agent.system_prompt, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: request }],
    schema: Rewrites,
    toolName: 'record_rewrites',
    toolDescription: 'Record the revised title and body of each memory, by path.',
  });
  const rewrites: Record<string, { title: string; body: string }> = {};
  // Only memories the grader asked about: a model cannot rewrite what it was not given.
  for (const m of result.value.memories) if (paths.includes(m.path)) rewrites[m.path] = { title: m.title, body: m.body };
  return { rewrites, usage: result.usage };
}
