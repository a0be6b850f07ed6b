import { describe, expect, it } from 'vitest';
import { contentId } from '../../src/core/ids.ts';
import { ContentIdHasher, streamingIdMatchesCore } from '../../src/sessions/hash.ts';

describe('ContentIdHasher', () => {
  it('gives the same id as core contentId, however the bytes are chunked', () => {
    const bytes = Buffer.from('line one\r\nline two\n'.repeat(1000));
    const h = new ContentIdHasher('session');
    for (let i = 0; i < bytes.length; i += 777) h.update(bytes.subarray(i, i + 777));
    expect(h.digestId()).toBe(contentId('session', bytes));
    expect(h.bytes).toBe(bytes.length);
  });

  it('agrees with core on edge inputs', () => {
    for (const s of ['', 'a', '\0', 'x'.repeat(100_000)])
      expect(streamingIdMatchesCore(Buffer.from(s))).toBe(true);
  });
});
