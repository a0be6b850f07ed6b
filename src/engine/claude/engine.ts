/**
 * The Claude engine: the same extraction on Claude. Each session goes to the extractor agent
 * specialised in its kind (agents/*.md), compressed by the local engine (digest.ts), with the
 * stable prefix (agent prompt, instructions, input store) cached. Output comes through a forced
 * tool call validated by zod; evidence is checked against the real session and what does not
 * hold is dropped and reported. Run summaries for cross-run analysis come from the local engine.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { InvalidInputError } from '../../core/errors.ts';
import { callStructured } from '../../llm/structured.ts';
import type { AgentDefinition } from '../../outcomes/agents.ts';
import type { SessionEvent } from '../../sessions/schema.ts';
import type { Finding } from '../findings.ts';
import { LocalEngine } from '../local/engine.ts';
import type { Engine, ExtractContext, ExtractResult, SessionInput } from '../types.ts';
import { digestSession } from './digest.ts';
import { indexSession, verifyEvidence } from './provenance.ts';
import { ModelFindings } from './schema.ts';

export interface ClaudeEngineOptions {
  client: Anthropic;
  /** The agent definitions, loaded on first use (once per worker thread). */
  agents: readonly AgentDefinition[] | (() => Promise<readonly AgentDefinition[]>);
  /** Overrides every agent's model (the dream's model). */
  model?: string;
}

/** The extractor for a session kind; a missing specialist is a configuration error. */
export function extractorFor(agents: readonly AgentDefinition[], kind: string): AgentDefinition {
  const agent = agents.find((a) => a.role === 'extractor' && (a.session_kinds ?? []).includes(kind as never));
  if (!agent) throw new InvalidInputError('no_extractor', `no extractor agent handles session kind ${kind}; add one to agents/ with session_kinds: [${kind}]`);
  return agent;
}

async function inputStoreDigest(ctx: ExtractContext): Promise<string> {
  if (!ctx.inputStore) return '(no input store)';
  const store = await ctx.inputStore();
  if (store.length === 0) return '(the input store is empty)';
  return store.map((m) => `${m.path}: ${m.content.split('\n', 1)[0]!.replace(/^#\s*/, '').slice(0, 160)}`).join('\n');
}

/**
 * The request an extractor agent gets for one session: the stable prefix (agent prompt,
 * instructions, input store) as cached system blocks, then the session's digest.
 */
export function extractorRequest(
  agent: AgentDefinition,
  session: SessionInput['session'],
  events: readonly SessionEvent[],
  instructions: string | null,
  storeDigest: string,
): { system: TextBlockParam[]; user: string } {
  return {
    system: [
      { type: 'text', text: agent.system_prompt },
      { type: 'text', text: `Instructions for this dream:\n${instructions ?? '(none)'}` },
      { type: 'text', text: `What the memory store already holds (path: title):\n${storeDigest}`, cache_control: { type: 'ephemeral' } },
    ],
    user: `${digestSession(session, events)}\n\nRecord your findings for this session with record_findings.`,
  };
}

export class ClaudeEngine implements Engine {
  readonly name = 'claude';
  private readonly local = new LocalEngine();
  private agents: Promise<readonly AgentDefinition[]> | undefined;

  constructor(private readonly opts: ClaudeEngineOptions) {}

  private loadAgents(): Promise<readonly AgentDefinition[]> {
    const a = this.opts.agents;
    return (this.agents ??= typeof a === 'function' ? a() : Promise.resolve(a));
  }

  async extract(input: SessionInput, ctx: ExtractContext): Promise<ExtractResult> {
    const { session, sequence } = input;
    const events: SessionEvent[] = [];
    for await (const ev of input.events()) events.push(ev);
    const agent = extractorFor(await this.loadAgents(), session.kind);
    const model = this.opts.model ?? agent.model;
    // Stable prefix first, so repeated calls of a dream read it from the prompt cache.
    const request = extractorRequest(agent, session, events, ctx.instructions, await inputStoreDigest(ctx));
    const result = await callStructured({
      client: this.opts.client,
      model,
      maxTokens: agent.max_tokens,
      system: request.system,
      messages: [{ role: 'user', content: request.user }],
      schema: ModelFindings,
      toolName: 'record_findings',
      toolDescription: 'Record the findings of one session: each with kind, key, title, body, value, confidence and verbatim evidence.',
    });

    const index = indexSession(events);
    const warnings: string[] = [];
    const findings: Finding[] = [];
    for (const f of result.value.findings) {
      const evidence = [];
      for (const e of f.evidence) {
        const checked = verifyEvidence(session, index, e);
        if (typeof checked === 'string') warnings.push(`dropped evidence of "${f.title}": ${checked}`);
        else evidence.push(checked);
      }
      if (evidence.length === 0) {
        warnings.push(`dropped finding "${f.title}": none of its evidence exists in ${session.id}`);
        continue;
      }
      findings.push({
        kind: f.kind,
        key: `${f.kind}:${f.key}`.slice(0, 200),
        title: f.title,
        body: f.body,
        value: f.value,
        observed_at: evidence[0]!.observed_at,
        sequence,
        evidence,
        attributes: { agent: agent.name, model },
        confidence: f.confidence,
      });
    }
    const local = session.kind === 'build_log' ? await this.local.extract(input, { instructions: null }) : undefined;
    return { findings, warnings, ...(local?.run ? { run: local.run } : {}), usage: result.usage };
  }
}
