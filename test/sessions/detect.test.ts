import { describe, expect, it } from 'vitest';
import { classifyDocument, sniff } from '../../src/sessions/detect.ts';

describe('sniff', () => {
  it('tells JSONL formats apart by their first recognizable line', () => {
    expect(
      sniff('{"type":"session.status_running","id":"x"}\n{"type":"user.message","content":[]}\n'),
    ).toEqual({
      mode: 'jsonl',
      format: 'managed_agents',
    });
    expect(
      sniff(
        '{"type":"summary","summary":"s","leafUuid":"u"}\n{"type":"user","message":{"role":"user","content":"hi"}}\n',
      ),
    ).toEqual({
      mode: 'jsonl',
      format: 'claude_code',
    });
  });

  it('skips a corrupt first line when later lines are recognizable', () => {
    expect(sniff('{"type":"user.mes\n{"type":"agent.message","content":[]}\n')).toEqual({
      mode: 'jsonl',
      format: 'managed_agents',
    });
  });

  it('sees a JSON document (pretty or single-line) as json', () => {
    expect(sniff('{\n  "messages": []\n}\n')).toEqual({ mode: 'json' });
    expect(sniff('{"messages":[{"role":"user","content":"hi"}]}\n')).toEqual({ mode: 'json' });
    expect(sniff('[\n  {"type": "user.message"}\n]')).toEqual({ mode: 'json' });
  });

  it('keeps logs that start with brackets or braces as text', () => {
    expect(sniff('[INFO] Scanning for projects...\n')).toEqual({ mode: 'text' });
    expect(sniff('[2024-01-02 03:04:05] started\n')).toEqual({ mode: 'text' });
    expect(sniff('{"level":30,"msg":"pino log line"}\n{"level":40,"msg":"warn"}\n')).toEqual({
      mode: 'text',
    });
    expect(sniff('plain build output\n')).toEqual({ mode: 'text' });
  });
});

describe('classifyDocument', () => {
  it('recognizes managed-agents arrays and list pages', () => {
    const events = [{ type: 'user.message', content: [] }];
    expect(classifyDocument(events)).toEqual({ format: 'managed_agents', events });
    expect(classifyDocument({ data: events, next_page: null })).toEqual({ format: 'managed_agents', events });
  });

  it('splits Messages from OpenAI chat by what only one API has', () => {
    expect(classifyDocument({ system: 's', messages: [{ role: 'user', content: 'hi' }] })?.format).toBe(
      'messages',
    );
    expect(classifyDocument({ messages: [{ role: 'system', content: 's' }] })?.format).toBe('openai_chat');
    expect(
      classifyDocument({ messages: [{ role: 'assistant', content: null, tool_calls: [] }] })?.format,
    ).toBe('openai_chat');
    expect(
      classifyDocument({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't' }] }] })
        ?.format,
    ).toBe('messages');
    expect(
      classifyDocument([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
      ])?.format,
    ).toBe('messages');
    expect(
      classifyDocument({ instance_id: 'x', info: {}, messages: [{ role: 'user', content: 'a' }] })?.format,
    ).toBe('openai_chat');
  });

  it('returns null for shapes it does not know or that mix both APIs', () => {
    expect(classifyDocument({ foo: 1 })).toBeNull();
    expect(classifyDocument([1, 2])).toBeNull();
    expect(
      classifyDocument({
        messages: [
          { role: 'tool', content: 'x' },
          { role: 'user', content: [{ type: 'tool_result' }] },
        ],
      }),
    ).toBeNull();
  });
});
