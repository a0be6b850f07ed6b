import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { conversationFindings, resolveDates } from '../../../src/engine/local/conversation.ts';
import { merge } from '../../../src/merger/merge.ts';
import type { SessionEvent } from '../../../src/sessions/schema.ts';
import { makeSession } from '../helpers.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/statements/conversation.jsonl', import.meta.url));

function events(): SessionEvent[] {
  return readFileSync(FIXTURE, 'utf8')
    .trim()
    .split('\n')
    .map((line, i) => {
      const raw = JSON.parse(line) as { processed_at: string; content: { type: 'text'; text: string }[] };
      return { id: `sevt_c${i + 1}`, type: 'user.message', processed_at: raw.processed_at, source_lines: [i + 1, i + 1], content: raw.content };
    });
}

describe('conversation memories', () => {
  it('keeps the specific content of a chat, dated and citing its lines', () => {
    const session = makeSession('sesn_chat00000001', 'conversation', 'chat', '2023-05-08T13:56:00.000Z');
    const findings = conversationFindings(events(), { session, sequence: 0 });
    const { store } = merge([], findings);
    expect(store.map((m) => m.path)).toEqual(['/README.md', '/facts/ana-and-ben-in-may-2023-297fbc64.md']);
    expect(store[1]!.content).toMatchInlineSnapshot(`
      "# Ana and Ben in May 2023

      8 May 2023 (sesn_chat00000001):
      - Ben: I started a pottery class in Lisbon last week and I love it. (week of 1 May 2023) [L2]
      - Ana: I went hiking at Sintra with my sister Maria yesterday. (7 May 2023) [L3]

      ## Provenance

      - kind: fact
      - key: "journal:e41e4fc195e6827a"
      - occurrences: seen in 1 session
      - first seen: 2023-05-08T13:56:00.000Z in sesn_chat00000001
      - last seen: 2023-05-08T13:56:00.000Z in sesn_chat00000001
      - confidence: 0.50
      - sessions: sesn_chat00000001
      - attributes: {"journal":true}

      ### Evidence (quoted from 1 of 1 session)

      - sesn_chat00000001 L2 (event sevt_c2; 2023-05-08T13:56:00.000Z): "I started a pottery class in Lisbon last week and I love it."
      "
    `);
  });

  it('accumulates the sessions of one month instead of keeping only the latest', () => {
    const a = conversationFindings(events(), { session: makeSession('sesn_chat0000000a', 'conversation'), sequence: 0 });
    const b = conversationFindings(events(), { session: makeSession('sesn_chat0000000b', 'conversation'), sequence: 1 });
    const { entries } = merge([], [...b, ...a]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.body).toContain('(sesn_chat0000000a):');
    expect(entries[0]!.body).toContain('(sesn_chat0000000b):');
  });

  it('resolves relative dates against the time of the message', () => {
    const when = new Date('2023-05-08T13:56:00.000Z');
    expect(resolveDates('I went there yesterday', when)).toBe('I went there yesterday (7 May 2023)');
    expect(resolveDates('We go next month', when)).toBe('We go next month (June 2023)');
    expect(resolveDates('I painted it last year', when)).toBe('I painted it last year (2022)');
    expect(resolveDates('Nothing relative here', when)).toBe('Nothing relative here');
  });
});
