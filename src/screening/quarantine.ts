import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { readJson, writeJsonAtomic } from '../core/atomic.ts';
import { nowIso } from '../core/clock.ts';
import { NotFoundError } from '../core/errors.ts';
import { contentId, isId, newId, sha256Hex } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';

/**
 * Quarantined memory writes, one JSON file each under <root>/quarantine/<qrn_…>.json: what was
 * refused (path, content with secrets redacted), why (the flags), by whom (a dream and its
 * sessions, or a client), and the evidence the memory cited. Nothing here is ever read by a
 * dream or an agent; it is for review. A dream's entries have content-derived ids, so a resumed
 * dream rewrites the same files instead of adding copies.
 */
export const QuarantineFlag = z.object({
  category: z.enum(['injection', 'hidden_unicode', 'exfil_link', 'encoded_blob', 'secret']),
  rule: z.string(),
  reason: z.string(),
  line: z.number().int().positive(),
  excerpt: z.string(),
});

export const QuarantineEvidence = z.object({
  session_id: z.string(),
  event_id: z.string().nullable(),
  lines: z.tuple([z.number().int(), z.number().int()]).nullable(),
  quote: z.string(),
});

export const QuarantineEntry = z.object({
  id: z.string(),
  type: z.literal('quarantine_entry'),
  created_at: z.string(),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('dream'), dream_id: z.string(), session_id: z.string().nullable() }),
    z.object({
      type: z.literal('client'),
      actor: z.record(z.string(), z.string()),
      operation: z.enum(['create', 'update']),
    }),
  ]),
  memory_store_id: z.string().nullable(),
  path: z.string(),
  flags: z.array(QuarantineFlag).min(1),
  /** The refused content, secrets redacted. */
  content: z.string(),
  content_sha256: z.string(),
  /** Sessions the memory cited and the quoted evidence (dream writes; empty for client writes). */
  sessions: z.array(z.string()),
  evidence: z.array(QuarantineEvidence),
  /** Set once a reviewer released the content into its store (src/review-actions/release.ts). */
  released: z
    .object({ review_id: z.string(), reviewer: z.string(), at: z.string() })
    .nullable()
    .optional(),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;
export type QuarantineDraft = Omit<QuarantineEntry, 'id' | 'type' | 'created_at' | 'content_sha256'>;

export class QuarantineRepo {
  constructor(private readonly root: RootPaths) {}

  async add(draft: QuarantineDraft): Promise<QuarantineEntry> {
    const sha = sha256Hex(draft.content);
    const id =
      draft.source.type === 'dream'
        ? contentId('quarantine', draft.source.dream_id, draft.path, sha)
        : newId('quarantine');
    const entry: QuarantineEntry = QuarantineEntry.parse({
      ...draft,
      id,
      type: 'quarantine_entry',
      created_at: nowIso(),
      content_sha256: sha,
    });
    await writeJsonAtomic(this.root.quarantine(id), entry);
    return entry;
  }

  /** Records that a reviewer released the entry; the entry itself stays, for the record. */
  async markReleased(id: string, released: NonNullable<QuarantineEntry['released']>): Promise<QuarantineEntry> {
    const entry = QuarantineEntry.parse({ ...(await this.get(id)), released });
    await writeJsonAtomic(this.root.quarantine(id), entry);
    return entry;
  }

  async get(id: string): Promise<QuarantineEntry> {
    if (!isId('quarantine', id)) throw new NotFoundError('quarantine entry', id);
    try {
      return await readJson(this.root.quarantine(id), QuarantineEntry);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('quarantine entry', id);
      throw e;
    }
  }

  /** Oldest first, then by path; filtered by store and/or dream. */
  async list(filter: { store?: string; dream?: string } = {}): Promise<QuarantineEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.root.quarantineDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: QuarantineEntry[] = [];
    for (const name of names.sort()) {
      const id = name.replace(/\.json$/, '');
      if (!name.endsWith('.json') || !isId('quarantine', id)) continue;
      const e = await readJson(this.root.quarantine(id), QuarantineEntry);
      if (filter.store !== undefined && e.memory_store_id !== filter.store) continue;
      if (filter.dream !== undefined && (e.source.type !== 'dream' || e.source.dream_id !== filter.dream))
        continue;
      out.push(e);
    }
    return out.sort((a, b) =>
      a.created_at === b.created_at
        ? a.path < b.path
          ? -1
          : a.path > b.path
            ? 1
            : 0
        : a.created_at < b.created_at
          ? -1
          : 1,
    );
  }
}
