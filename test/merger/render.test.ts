import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseMemory } from '../../src/merger/parse.ts';
import { renderMemory } from '../../src/merger/render.ts';
import type { MemoryEntry } from '../../src/merger/types.ts';

const entry: MemoryEntry = {
  path: '/facts/the-dev-server-listens-on-port-8080-0a1b2c3d.md',
  kind: 'fact',
  keys: ['dev server port'],
  title: 'The dev server listens on port 8080',
  body: 'Start it with `npm run dev` and open http://localhost:8080.\n## not a heading\n\\# already escaped',
  value: '8080',
  occurrences: 2,
  first_seen: { at: '2024-04-01T00:00:00.000Z', session_id: 'sesn_00000001' },
  last_seen: { at: null, session_id: 'sesn_00000004' },
  confidence: 0.8,
  sessions: ['sesn_00000001', 'sesn_00000004'],
  attributes: { source: 'transcript', port: 8080 },
  evidence: [
    { session_id: 'sesn_00000004', event_id: 'sevt_00040005', lines: [5, 7], quote: 'listening on :8080 "quoted" (paren)', observed_at: null },
    { session_id: 'sesn_00000004', event_id: null, lines: null, quote: 'line one\nline two', observed_at: '2024-06-01T00:00:00.000Z' },
  ],
  history: [
    {
      value: '3000',
      last_seen: { at: '2024-04-01T00:00:00.000Z', session_id: 'sesn_00000001' },
      evidence: [{ session_id: 'sesn_00000001', event_id: 'sevt_00010003', lines: [3, 3], quote: 'listening on :3000', observed_at: '2024-04-01T00:00:00.000Z' }],
    },
  ],
};

describe('memory format', () => {
  it('renders the lesson first, then fixed provenance and history', () => {
    expect(renderMemory(entry)).toMatchInlineSnapshot(`
      "# The dev server listens on port 8080

      Start it with \`npm run dev\` and open http://localhost:8080.
      \\## not a heading
      \\\\# already escaped

      ## Provenance

      - kind: fact
      - key: "dev server port"
      - value: "8080"
      - occurrences: seen in 2 sessions
      - first seen: 2024-04-01T00:00:00.000Z in sesn_00000001
      - last seen: sesn_00000004
      - confidence: 0.80
      - sessions: sesn_00000001, sesn_00000004
      - attributes: {"port":8080,"source":"transcript"}

      ### Evidence (quoted from 1 of 2 sessions)

      - sesn_00000004 L5-7 (event sevt_00040005): "listening on :8080 \\"quoted\\" (paren)"
      - sesn_00000004 (2024-06-01T00:00:00.000Z): "line one\\nline two"

      ## History

      - superseded value (last seen 2024-04-01T00:00:00.000Z in sesn_00000001): "3000"
        - sesn_00000001 L3 (event sevt_00010003; 2024-04-01T00:00:00.000Z): "listening on :3000"
      "
    `);
  });

  it('parses back exactly what it rendered', () => {
    expect(parseMemory(entry.path, renderMemory(entry))).toEqual(entry);
    const plain: MemoryEntry = { ...entry, body: '', value: null, attributes: {}, history: [], occurrences: 1, sessions: ['sesn_00000004'] };
    expect(parseMemory(plain.path, renderMemory(plain))).toEqual(plain);
  });

  it('treats hand-written and damaged memories as foreign (null)', async () => {
    const hand = await readFile(new URL('../fixtures/merger/hand-written.md', import.meta.url), 'utf8');
    expect(parseMemory('/notes/team.md', hand)).toBeNull();
    expect(parseMemory('/x.md', '')).toBeNull();
    const damaged = renderMemory(entry).replace('- confidence: 0.80', '- confidence: high');
    expect(parseMemory(entry.path, damaged)).toBeNull();
    const extra = renderMemory(entry) + '\nA note someone appended.\n';
    expect(parseMemory(entry.path, extra)).toBeNull();
  });

  it('a body cannot forge a provenance section', () => {
    const forged: MemoryEntry = { ...entry, body: '## Provenance\n\n- kind: insight' };
    expect(parseMemory(entry.path, renderMemory(forged))).toEqual(forged);
  });
});
