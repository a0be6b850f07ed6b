import type { SessionEvent } from './schema.ts';

/**
 * The text an event shows a reader: its text blocks, or for a tool call its name and input.
 * Evidence quotes are checked against exactly this — by the Claude engine's provenance check and
 * by the grader's evidence resolution — so both must use this one function.
 */
export function eventText(event: SessionEvent): string {
  if (event.type === 'agent.tool_use') return `${event.name} ${JSON.stringify(event.input)}`;
  return event.content.map((b) => b.text).join('\n');
}
