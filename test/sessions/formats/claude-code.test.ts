import { describe, expect, it } from 'vitest';
import { fixture, importOne, texts } from '../helpers.ts';

describe('Claude Code JSONL', () => {
  it('maps user/assistant lines to events with their JSONL line numbers', async () => {
    const { session, events, report } = await importOne(fixture('claude-code.jsonl'));
    expect(session.format).toBe('claude_code');
    expect(session.kind).toBe('agent_transcript');
    expect(session.title).toBe('Fix flaky login test');
    expect(events.map((e) => [e.type, e.source_lines![0]])).toEqual([
      ['user.message', 4],
      ['agent.message', 5],
      ['agent.tool_use', 5],
      ['agent.tool_result', 6],
      ['agent.tool_use', 7],
      ['agent.tool_result', 9],
      ['agent.message', 10],
    ]);
    expect(events[2]).toMatchObject({
      name: 'Bash',
      input: { command: 'yarn test login' },
      tool_use_id: 'toolu_01',
    });
    expect(events[3]).toMatchObject({ tool_use_id: 'toolu_01', is_error: true });
    expect(texts(events[3]!)).toBe('FAIL login.test.ts\n  timeout after 5000ms');
    // An empty tool_result block falls back to toolUseResult.stdout.
    expect(texts(events[5]!)).toBe('The file login.test.ts has been updated.');
    expect(events[0]!.processed_at).toBe('2025-04-02T09:00:01.000Z');
    expect(session.metadata).toMatchObject({ sessionId: 'cc-1', cwd: '/home/dev/app', gitBranch: 'main' });
    expect(session.metadata.skipped_types).toBe(
      'claude_code.file-history-snapshot=1,claude_code.meta=1,claude_code.thinking=1',
    );
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatchObject({ line: 8 });
  });

  it('reads the same file gzip-compressed, detected by magic bytes, to the same session', async () => {
    const plain = await importOne(fixture('claude-code.jsonl'));
    const gz = await importOne(fixture('claude-code.jsonl.gz'));
    expect(gz.session.id).toBe(plain.session.id);
    expect(gz.session.source).toMatchObject({ gzip: true, original_file: 'original.gz' });
    expect(gz.events).toEqual(plain.events);
  });
});
