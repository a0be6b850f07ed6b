import { mkdir, readdir } from 'node:fs/promises';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import { NotFoundError } from '../core/errors.ts';
import { assertId, isId, newId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { ReviewRecord, type Reviewer } from './schema.ts';

/** Review records on the shared filesystem: reviews/<rev_…>.json, written once, never changed. */

export type ReviewFields = Omit<ReviewRecord, 'id' | 'type' | 'reviewer' | 'actor' | 'note' | 'created_at' | 'api_key_id'>;

/** A record with nothing filled in but the store: each action sets what applies to it. */
export function blankFields(memoryStoreId: string): ReviewFields {
  return {
    action: 'approve',
    memory_store_id: memoryStoreId,
    from_memory_store_id: null,
    dream_id: null,
    paths: null,
    to_review_id: null,
    to_seq: null,
    tier: null,
    seq_before: null,
    version_ids: [],
    changes: [],
    state_before: null,
    state_after: null,
    archived_store: false,
    quarantine_id: null,
  };
}

let lastMs = 0;
let sameMs = 0;

/**
 * Review ids sort in creation order: a base-36 millisecond clock, then a counter for actions of
 * this process within one millisecond, then random characters. A list of reviews (undo this one
 * and everything after it) must not depend on which of two same-millisecond ids came out larger.
 */
function reviewId(ms: number): string {
  sameMs = ms === lastMs ? sameMs + 1 : 0;
  lastMs = ms;
  return `rev_${ms.toString(36).padStart(9, '0')}${sameMs.toString(36).padStart(3, '0')}${newId('review').slice('rev_'.length, 'rev_'.length + 12)}`;
}

export async function writeReview(paths: RootPaths, who: Reviewer, fields: ReviewFields): Promise<ReviewRecord> {
  const now = Date.now();
  const rec: ReviewRecord = ReviewRecord.parse({
    id: reviewId(now),
    type: 'review',
    reviewer: who.reviewer,
    actor: who.actor,
    note: who.note,
    created_at: new Date(now).toISOString(),
    api_key_id: who.api_key_id,
    ...fields,
  });
  await mkdir(paths.reviewsDir, { recursive: true });
  await writeJsonAtomic(paths.review(rec.id), rec);
  return rec;
}

export async function getReview(paths: RootPaths, id: string, field = 'review_id'): Promise<ReviewRecord> {
  const rec = await readJsonIfExists(paths.review(assertId('review', id, field)), ReviewRecord);
  if (!rec) throw new NotFoundError('review', id);
  return rec;
}

export interface ReviewFilter {
  /** Reviews that acted on this store or promoted from it. */
  store?: string;
  dream?: string;
}

/** Newest first: ids sort by creation time (reviewId), so one comparison orders them. */
export async function listReviews(paths: RootPaths, filter: ReviewFilter = {}): Promise<ReviewRecord[]> {
  if (filter.store !== undefined) assertId('store', filter.store, 'store');
  if (filter.dream !== undefined) assertId('dream', filter.dream, 'dream');
  let names: string[];
  try {
    names = await readdir(paths.reviewsDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: ReviewRecord[] = [];
  for (const name of names) {
    const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
    if (!isId('review', id)) continue; // temp files of a write in flight
    const rec = await readJsonIfExists(paths.review(id), ReviewRecord);
    if (!rec) continue;
    if (filter.store !== undefined && rec.memory_store_id !== filter.store && rec.from_memory_store_id !== filter.store) continue;
    if (filter.dream !== undefined && rec.dream_id !== filter.dream) continue;
    out.push(rec);
  }
  return out.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
