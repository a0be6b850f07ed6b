import { describe, expect, it } from 'vitest';
import { fixture, importOne, texts } from '../helpers.ts';

describe('Managed Agents events', () => {
  it('imports JSONL: event types, tool links, line numbers, skipped types counted', async () => {
    const { session, events } = await importOne(fixture('managed-agents.jsonl'));
    expect(session.format).toBe('managed_agents');
    expect(session.kind).toBe('agent_transcript');
    expect(events.map((e) => e.type)).toEqual([
      'user.message',
      'agent.message',
      'agent.tool_use',
      'agent.tool_result',
      'agent.tool_use',
      'agent.tool_result',
      'agent.tool_use',
      'agent.tool_result',
      'agent.message',
    ]);
    expect(events.map((e) => e.source_lines)).toEqual([
      [2, 2],
      [4, 4],
      [5, 5],
      [6, 6],
      [7, 7],
      [8, 8],
      [9, 9],
      [10, 10],
      [12, 12],
    ]);
    const [, , use, result, mcpUse, mcpResult] = events;
    expect(use).toMatchObject({ name: 'bash', input: { command: 'pnpm test' }, tool_use_id: 'sevt_a5' });
    expect(result).toMatchObject({
      tool_use_id: 'sevt_a5',
      is_error: true,
      processed_at: '2025-03-01T10:00:09Z',
    });
    expect(mcpUse).toMatchObject({ name: 'mcp__docs__search', tool_use_id: 'sevt_a7' });
    expect(mcpResult).toMatchObject({ tool_use_id: 'sevt_a7', is_error: null });
    expect(session.metadata.skipped_events).toBe('4');
    expect(session.metadata.skipped_types).toBe(
      'session.status_idle=1,session.status_running=1,span.model_request_end=1,span.model_request_start=1',
    );
    expect(session.started_at).toBe('2025-03-01T10:00:01Z');
    expect(session.ended_at).toBe('2025-03-01T10:00:32Z');
    expect(session.line_count).toBe(13);
  });

  it('redacts a secret carried in a tool input by its key', async () => {
    const { events, session } = await importOne(fixture('managed-agents.jsonl'));
    expect(texts(events[6]!)).toContain('"NPM_TOKEN":"[REDACTED:secret]"');
    expect(session.metadata.redactions).toBe('1');
  });

  it('imports a pretty-printed JSON array without line numbers', async () => {
    const { session, events } = await importOne(fixture('managed-agents.json'));
    expect(session.format).toBe('managed_agents');
    expect(events.map((e) => e.type)).toEqual([
      'user.message',
      'agent.message',
      'agent.tool_use',
      'agent.tool_result',
    ]);
    expect(events.every((e) => e.source_lines === null)).toBe(true);
  });

  it('imports the good lines of a JSONL file with corrupt lines and warns with file:line', async () => {
    const { session, events, report } = await importOne(fixture('corrupt-lines.jsonl'));
    expect(events.map((e) => [e.type, e.source_lines])).toEqual([
      ['user.message', [2, 2]],
      ['agent.message', [6, 6]],
    ]);
    expect(report.warnings.map((w) => [w.path.endsWith('corrupt-lines.jsonl'), w.line])).toEqual([
      [true, 3],
      [true, 5],
    ]);
    expect(report.warnings[0]!.message).toMatch(/^invalid JSON: /);
    expect(session.warnings.map((w) => w.line)).toEqual([3, 5]);
    expect(session.kind).toBe('conversation');
  });
});
