import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/core/lines.ts';
import { readLineBatches } from '../../src/sessions/lines-reader.ts';

async function collect(
  chunks: Buffer[],
  maxLineLength?: number,
): Promise<{ lines: string[]; firsts: number[] }> {
  const lines: string[] = [];
  const firsts: number[] = [];
  for await (const b of readLineBatches(chunks, maxLineLength === undefined ? {} : { maxLineLength })) {
    expect(b.first).toBe(lines.length + 1);
    firsts.push(b.first);
    lines.push(...b.lines);
  }
  return { lines, firsts };
}

/** Every way of cutting `bytes` into two or three chunks must give splitLines' answer. */
async function agreesWithSplitLines(text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const expected = splitLines(text);
  for (let a = 0; a <= bytes.length; a++) {
    const two = await collect([bytes.subarray(0, a), bytes.subarray(a)]);
    expect(two.lines, `cut at ${a} of ${JSON.stringify(text)}`).toEqual(expected);
    const b = Math.min(bytes.length, a + 3);
    const three = await collect([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
    expect(three.lines).toEqual(expected);
  }
}

describe('readLineBatches', () => {
  const samples = [
    '',
    'one',
    'one\n',
    'one\ntwo',
    'one\r\ntwo\r\n',
    'a\rb\rc\n', // lone \r is content
    '\n\n\n',
    'x\r',
    'x\r\r\n',
    'héllo wörld €\n日本語\r\n🎉 done',
    '\r\n\r\n',
  ];
  for (const s of samples)
    it(`matches splitLines for ${JSON.stringify(s)} at every chunk boundary`, () => agreesWithSplitLines(s));

  it('refuses a line longer than the limit instead of holding it', async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.from('x'.repeat(100)));
    await expect(collect(chunks, 500)).rejects.toThrow(/line 1 is longer than 500/);
  });

  it('reports invalid UTF-8 once and keeps going', async () => {
    const seen: number[] = [];
    const lines: string[] = [];
    for await (const b of readLineBatches(
      [Buffer.from('ok\n'), Buffer.from([0x66, 0xff, 0x0a, 0x67, 0x0a])],
      { onInvalidUtf8: (l) => seen.push(l) },
    )) {
      lines.push(...b.lines);
    }
    expect(seen).toEqual([2]);
    expect(lines).toEqual(['ok', 'f\uFFFD', 'g']);
  });

  it('cuts an over-long line to a head and a note at any chunk boundary, holding only the head', async () => {
    const text = `a\n${'é'.repeat(300)}\r\nb`;
    const bytes = Buffer.from(text, 'utf8');
    for (const cut of [1, 2, 50, 301, bytes.length - 2]) {
      const seen: [number, number][] = [];
      const lines: string[] = [];
      for await (const b of readLineBatches([bytes.subarray(0, cut), bytes.subarray(cut)], {
        truncateAt: 250,
        onTruncated: (line, n) => seen.push([line, n]),
      })) {
        lines.push(...b.lines);
      }
      expect(lines).toEqual(['a', `${'é'.repeat(200)} … [line truncated: 600 bytes]`, 'b']);
      expect(seen).toEqual([[2, 600]]);
    }
  });
});
