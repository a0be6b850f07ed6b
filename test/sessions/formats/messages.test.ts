import { describe, expect, it } from 'vitest';
import { fixture, importOne, texts } from '../helpers.ts';

describe('Anthropic Messages conversations', () => {
  it('maps system, text, tool_use and tool_result blocks', async () => {
    const { session, events } = await importOne(fixture('messages.json'));
    expect(session.format).toBe('messages');
    expect(session.kind).toBe('agent_transcript');
    expect(session.title).toBe('Tag the release v2.3.0 and push it.');
    expect(session.metadata.model).toBe('claude-sonnet-4-5');
    expect(events.map((e) => e.type)).toEqual([
      'system.message',
      'user.message',
      'agent.message',
      'agent.tool_use',
      'agent.tool_result',
      'agent.message',
    ]);
    expect(events[3]).toMatchObject({
      name: 'git',
      input: { args: ['tag', 'v2.3.0'] },
      tool_use_id: 'toolu_9',
    });
    expect(events[4]).toMatchObject({ tool_use_id: 'toolu_9', is_error: true });
    expect(texts(events[4]!)).toContain('already exists');
    expect(events.every((e) => e.source_lines === null)).toBe(true);
  });

  it('reads a bare array of plain turns as a conversation', async () => {
    const { session, events } = await importOne(fixture('conversation.json'));
    expect(session.format).toBe('messages');
    expect(session.kind).toBe('conversation');
    expect(events.map((e) => [e.type, texts(e)])).toEqual([
      ['user.message', 'What is our deploy region?'],
      ['agent.message', 'eu-west-1, per the runbook.'],
    ]);
  });
});
