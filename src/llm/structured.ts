/**
 * Structured output through a forced tool call: the tool's input schema is generated from the
 * same zod schema that validates the result. An invalid result gets one repair turn that quotes
 * the validation error; a second invalid result fails with a clear error.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, TextBlockParam, Tool, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages/messages';
import { z } from 'zod';
import { DreamworkError } from '../core/errors.ts';
import { addUsage, ZERO_USAGE, type Usage } from './usage.ts';

export interface StructuredRequest<T> {
  client: Anthropic;
  model: string;
  maxTokens: number;
  /** System blocks; put cache_control on the last block of the stable prefix. */
  system: TextBlockParam[];
  messages: MessageParam[];
  schema: z.ZodType<T>;
  toolName: string;
  toolDescription: string;
}

export interface StructuredResult<T> {
  value: T;
  usage: Usage;
  /** Model calls made: 1, or 2 after a repair turn. */
  calls: number;
}

export class InvalidModelOutputError extends DreamworkError {
  constructor(message: string) {
    super('invalid_model_output', message, { type: 'api_error', status: 502, exitCode: 3 });
  }
}

export function toolFor(name: string, description: string, schema: z.ZodType): Tool {
  const json = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete json.$schema;
  return { name, description, input_schema: json as Tool['input_schema'] };
}

function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export async function callStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
  const tool = toolFor(req.toolName, req.toolDescription, req.schema);
  const messages = [...req.messages];
  let usage = ZERO_USAGE;
  for (let call = 1; call <= 2; call++) {
    const response = await req.client.messages.create({
      model: req.model,
      max_tokens: req.maxTokens,
      system: req.system,
      messages,
      tools: [tool],
      tool_choice: { type: 'tool', name: req.toolName },
    });
    usage = addUsage(usage, response.usage);
    const toolUse = response.content.find((b): b is ToolUseBlock => b.type === 'tool_use' && b.name === req.toolName);
    const problem = toolUse ? null : `the model did not call ${req.toolName} (stop_reason ${response.stop_reason})`;
    const parsed = toolUse ? req.schema.safeParse(toolUse.input) : null;
    if (parsed?.success) return { value: parsed.data, usage, calls: call };
    const error = problem ?? issuesOf(parsed!.error);
    if (call === 2 || !toolUse) {
      throw new InvalidModelOutputError(`${req.toolName}: invalid output after ${call} call(s): ${error}`);
    }
    // One repair turn: show the model exactly what failed validation.
    messages.push({ role: 'assistant', content: response.content });
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: toolUse.id,
          is_error: true,
          content: `Your ${req.toolName} input failed validation: ${error}. Call ${req.toolName} again with input that matches its schema exactly.`,
        },
      ],
    });
  }
  throw new InvalidModelOutputError(`${req.toolName}: no valid output`);
}
