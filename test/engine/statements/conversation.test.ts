import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clip, conversationFindings, resolveDates, salience } from '../../../src/engine/local/conversation.ts';
import { merge } from '../../../src/merger/merge.ts';
import type { SessionEvent } from '../../../src/sessions/schema.ts';
import { makeSession } from '../helpers.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/statements/conversation.jsonl', import.meta.url));

function chat(lines: string[], at = '2023-05-20T10:00:00.000Z'): SessionEvent[] {
  return lines.map((text, i) => ({
    id: `sevt_x${i + 1}`,
    type: 'user.message',
    processed_at: at,
    source_lines: [i + 1, i + 1],
    content: [{ type: 'text', text }],
  }));
}

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
      - Ana: I went hiking at Sintra with my sister Maria yesterday. (7 May 2023) [L3] We are planning a trip to Porto next month for my 30th… (June 2023) [L5]

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

      - sesn_chat00000001 L2 (event sevt_c2; 2023-05-08T13:56:00.000Z): "I started a pottery class in Lisbon last"
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

  it('keeps one item per turn, its most specific sentence', () => {
    const session = makeSession('sesn_chat00000002', 'conversation', 'chat', '2023-05-20T10:00:00.000Z');
    const turn = 'Ana: I adopted a puppy named Rex in Porto. It has been a lot of fun and I love every bit of it.';
    const [finding] = conversationFindings(chat([turn, 'Ben: Congrats!']), { session, sequence: 0 });
    expect(finding!.body).toBe('20 May 2023 (sesn_chat00000002):\n- Ana: I adopted a puppy named Rex in Porto. [L1]');
  });

  it('files every session of a month under the same people, even when one speaker kept nothing', () => {
    const a = conversationFindings(events(), { session: makeSession('sesn_chat0000000a', 'conversation'), sequence: 0 });
    const quiet = chat(['Ana: I adopted a puppy named Rex in Porto last weekend.', 'Ben: Aw, congrats!']);
    const b = conversationFindings(quiet, { session: makeSession('sesn_chat0000000b', 'conversation'), sequence: 1 });
    expect(b[0]!.body).not.toContain('Ben:');
    const { entries } = merge([], [...a, ...b]);
    expect(entries.map((e) => e.title)).toEqual(['Ana and Ben in May 2023']);
    expect(entries[0]!.evidence).toHaveLength(1);
  });

  it('clips a long sentence at a clause boundary but still dates it', () => {
    const long = 'I finished the mural at the community center, which took weeks of planning and a lot of paint';
    expect(clip(long)).toBe('I finished the mural at the community center…');
    expect(clip('We drove from Lisbon to Porto and then on to Braga and Guimaraes over the long weekend')).toBe(
      'We drove from Lisbon to Porto and then on to Braga and…',
    );
    expect(clip('Short and specific.')).toBe('Short and specific.');
    const session = makeSession('sesn_chat00000003', 'conversation', 'chat', '2023-05-20T10:00:00.000Z');
    const [finding] = conversationFindings(chat([`Ana: ${long}, all finished yesterday.`]), { session, sequence: 0 });
    expect(finding!.body).toContain('community center… (19 May 2023) [L1]');
  });

  it('does not count a name used to address someone, or a heart, as specific content', () => {
    expect(salience('Keep believing in yourself and your dance studio, Jon!')).toBeLessThan(3);
    expect(salience('Appreciate the kind words. <3')).toBeLessThan(3);
    expect(salience('I opened my dance studio in Paris last week.')).toBeGreaterThanOrEqual(3);
  });

  it('counts acronyms as names and a relative date as a date', () => {
    expect(salience('I went to an LGBTQ support group meeting.')).toBeGreaterThan(salience('I went to a support group meeting.'));
    expect(salience('I went to a support group meeting yesterday.')).toBeGreaterThan(salience('I went to a support group meeting.'));
  });
});
