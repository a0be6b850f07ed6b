import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankFields, getReview, listReviews, writeReview } from '../../src/review-actions/records.ts';
import { parseReviewer } from '../../src/review-actions/schema.ts';
import { caught, tierFixture } from '../tiers/helpers.ts';

describe('review records', () => {
  it('list newest first in creation order, even within one millisecond, filtered by store or dream', async () => {
    const fx = await tierFixture();
    const store = 'memstore_aaaaaaaaaaaa';
    const who = parseReviewer({ reviewer: 'ana', note: 'n' });
    const made = [];
    for (let i = 0; i < 25; i++) made.push(await writeReview(fx.paths, who, { ...blankFields(i % 2 ? store : 'memstore_bbbbbbbbbbbb'), dream_id: i === 3 ? 'drm_cccccccccccc' : null }));
    expect((await listReviews(fx.paths)).map((r) => r.id)).toEqual(made.map((r) => r.id).reverse());
    expect((await listReviews(fx.paths, { store })).map((r) => r.id)).toEqual(made.filter((_, i) => i % 2).map((r) => r.id).reverse());
    expect((await listReviews(fx.paths, { dream: 'drm_cccccccccccc' })).map((r) => r.id)).toEqual([made[3]!.id]);
    expect(await getReview(fx.paths, made[0]!.id)).toEqual(made[0]);
  });

  it('skips temp files, names a corrupt record, validates ids and filters', async () => {
    const fx = await tierFixture();
    await writeReview(fx.paths, parseReviewer({ reviewer: 'ana', note: 'n' }), blankFields('memstore_aaaaaaaaaaaa'));
    await writeFile(join(fx.paths.reviewsDir, '.tmp-123'), 'partial');
    expect(await listReviews(fx.paths)).toHaveLength(1);
    const bad = join(fx.paths.reviewsDir, 'rev_zzzzzzzzzzzzzzzz.json');
    await writeFile(bad, '{"id": 1}');
    const e = await caught(listReviews(fx.paths));
    expect(e.code).toBe('corrupt_file');
    expect(e.message).toContain(bad);
    expect((await caught(listReviews(fx.paths, { store: '../x' }))).message).toBe('store: "../x" is not a valid memstore_… id');
    expect((await caught(getReview(fx.paths, 'rev_../../etc'))).code).toBe('invalid_id');
  });

  it('requires a reviewer and a note, without control characters', () => {
    expect(parseReviewer({ reviewer: ' ana ', note: 'why' })).toEqual({ reviewer: 'ana', note: 'why', actor: { type: 'user_actor', user_id: 'ana' }, api_key_id: null });
    expect(() => parseReviewer({ reviewer: 'a\u202Eb', note: 'x' })).toThrow(/reviewer: must be 1 to 128 characters without control characters/);
    expect(() => parseReviewer({ reviewer: 'ana', note: 'x'.repeat(4097) })).toThrow(/note: must be at most 4096 characters/);
  });
});
