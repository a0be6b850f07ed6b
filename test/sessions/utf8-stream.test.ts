import { TextDecoder } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Utf8Stream } from '../../src/sessions/utf8-stream.ts';

/** Mulberry32: the same "random" cases on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'log line\n', 'é', '€', '日本', '🎉', '\r\n', '\uFEFF', 'ÿ'];
const BAD = [[0xff], [0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x8e]];

function sample(rand: () => number, invalid: boolean): Buffer {
  const parts: Buffer[] = [];
  if (rand() < 0.3) parts.push(Buffer.from([0xef, 0xbb, 0xbf])); // a BOM at the start
  const n = 1 + Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) {
    if (invalid && rand() < 0.15) parts.push(Buffer.from(BAD[Math.floor(rand() * BAD.length)]!));
    else parts.push(Buffer.from(PIECES[Math.floor(rand() * PIECES.length)]!, 'utf8'));
  }
  return Buffer.concat(parts);
}

function chunksOf(bytes: Buffer, rand: () => number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.floor(rand() * 5); // empty chunks too
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** Decodes as lines-reader does: strict, and on the first refusal a lenient decoder takes over. */
function decodeAll(chunks: Buffer[]): { text: string; valid: boolean } {
  const strict = new Utf8Stream();
  let lenient: TextDecoder | null = null;
  let text = '';
  const step = (chunk?: Buffer): void => {
    if (lenient) {
      text += chunk ? lenient.decode(chunk, { stream: true }) : lenient.decode();
      return;
    }
    const t = strict.decode(chunk);
    if (t !== null) text += t;
    else {
      lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
      text += lenient.decode(strict.undecoded, { stream: chunk !== undefined });
    }
  };
  for (const c of chunks) step(c);
  step();
  return { text, valid: lenient === null };
}

function fatalDecode(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

describe('Utf8Stream', () => {
  it("gives TextDecoder's text for valid UTF-8 cut anywhere, BOM dropped, split sequences joined", () => {
    const rand = prng(7);
    for (let i = 0; i < 2000; i++) {
      const bytes = sample(rand, false);
      const expected = fatalDecode(bytes);
      expect(expected).not.toBeNull();
      const got = decodeAll(chunksOf(bytes, rand));
      expect(got, bytes.toString('hex')).toEqual({ text: expected, valid: true });
    }
  });

  it('refuses exactly what fatal TextDecoder refuses, and the lenient hand-over loses no byte', () => {
    const rand = prng(11);
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = sample(rand, true);
      const got = decodeAll(chunksOf(bytes, rand));
      const fatal = fatalDecode(bytes);
      expect(got.valid, bytes.toString('hex')).toBe(fatal !== null);
      expect(got.text, bytes.toString('hex')).toBe(new TextDecoder('utf-8').decode(bytes));
      if (!got.valid) refused++;
    }
    expect(refused).toBeGreaterThan(500);
  });

  it('returns the text of a chunk at once and holds only the bytes of a cut sequence', () => {
    const s = new Utf8Stream();
    const euro = Buffer.from('€', 'utf8');
    expect(s.decode(Buffer.concat([Buffer.from('cost: '), euro.subarray(0, 2)]))).toBe('cost: ');
    expect(s.undecoded.length).toBe(2);
    expect(s.decode(Buffer.concat([euro.subarray(2), Buffer.from('5\n')]))).toBe('€5\n');
    expect(s.decode()).toBe('');
  });

  it('refuses a sequence left incomplete at the end of the stream', () => {
    const s = new Utf8Stream();
    expect(s.decode(Buffer.from([0x61, 0xe2, 0x82]))).toBe('a');
    expect(s.decode()).toBeNull();
    expect([...s.undecoded]).toEqual([0xe2, 0x82]);
  });
});
