import { describe, expect, it } from 'vitest';
import { fixture, importOne, texts } from '../helpers.ts';

describe('OpenAI-style chat logs', () => {
  it('maps roles and tool_calls', async () => {
    const { session, events } = await importOne(fixture('openai-chat.json'));
    expect(session.format).toBe('openai_chat');
    expect(session.kind).toBe('agent_transcript');
    expect(events.map((e) => e.type)).toEqual([
      'system.message',
      'user.message',
      'agent.tool_use',
      'agent.tool_result',
      'agent.message',
    ]);
    expect(events[2]).toMatchObject({
      name: 'ssh_exec',
      input: { host: 'build-01', cmd: 'df -h' },
      tool_use_id: 'call_1',
    });
    expect(events[3]).toMatchObject({ tool_use_id: 'call_1', is_error: null });
  });
});

describe('SWE-agent trajectories', () => {
  it('turns bash blocks into tool calls and <returncode> replies into results', async () => {
    const { session, events } = await importOne(fixture('swe-trajectory.json'));
    expect(session.format).toBe('openai_chat');
    expect(session.kind).toBe('agent_transcript');
    expect(session.title).toBe('demo__proj-101');
    expect(session.outcome).toEqual({ resolved: null, exit_status: 'Submitted' });
    expect(session.metadata).toMatchObject({
      instance_id: 'demo__proj-101',
      'info.mini_version': '1.15.0',
      'info.model_stats': '{"api_calls":5}',
    });
    expect(session.metadata['info.submission']).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual([
      'system.message',
      'user.message',
      'agent.message',
      'agent.tool_use',
      'agent.tool_result',
      'agent.message',
      'agent.tool_use',
      'agent.tool_result',
      'agent.message', // two bash blocks: the harness refused it, so no tool call
      'user.message', // the format error
      'agent.message',
      'agent.tool_use', // the submit command…
      'agent.tool_result', // …answered by the diff, without a return code
    ]);
    expect(events[3]).toMatchObject({ name: 'bash', input: { command: 'grep -n range pager.py' } });
    const use = events[6]!;
    const result = events[7]!;
    expect(
      use.type === 'agent.tool_use' &&
        result.type === 'agent.tool_result' &&
        use.tool_use_id === result.tool_use_id,
    ).toBe(true);
    expect(result).toMatchObject({ is_error: true });
    expect(events[4]).toMatchObject({ is_error: false });
    expect(texts(events[12]!)).toContain('range(0, n)');
  });
});
