import { z } from 'zod';
import type { BetaManagedAgentsActor } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-versions';

/**
 * What a memory store keeps on disk (<root>/stores/<memstore_…>/). One schema per file kind,
 * parsed on every read so a hand-edited or truncated file is reported with its name.
 *
 *   store.json               StoreRecord   (exactly the API's memory_store object)
 *   memories/<mem_…>.json    MemoryRecord  (the live memory, content included)
 *   versions/<memver_…>.json VersionRecord (immutable except redaction; `seq` orders them)
 *   tree/<path>              the live content as a plain file (a mirror, rebuilt from memories/)
 */

const Iso = z.string().min(1);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');

export const Actor = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session_actor'), session_id: z.string().min(1) }).strict(),
  z.object({ type: z.literal('api_actor'), api_key_id: z.string().min(1) }).strict(),
  z.object({ type: z.literal('user_actor'), user_id: z.string().min(1) }).strict(),
  z.object({ type: z.literal('service_account_actor'), service_account_id: z.string().min(1) }).strict(),
]);
export type Actor = BetaManagedAgentsActor;

export const StoreRecord = z
  .object({
    id: z.string().regex(/^memstore_[A-Za-z0-9]{8,64}$/),
    type: z.literal('memory_store'),
    name: z.string(),
    description: z.string(),
    metadata: z.record(z.string(), z.string()),
    created_at: Iso,
    updated_at: Iso,
    archived_at: Iso.nullable(),
  })
  .strict();
export type StoreRecord = z.infer<typeof StoreRecord>;

export const MemoryRecord = z
  .object({
    id: z.string().regex(/^mem_[A-Za-z0-9]{8,64}$/),
    type: z.literal('memory'),
    memory_store_id: z.string(),
    path: z.string(),
    content: z.string(),
    content_sha256: Sha256,
    content_size_bytes: z.number().int().nonnegative(),
    memory_version_id: z.string(),
    created_at: Iso,
    updated_at: Iso,
  })
  .strict();
export type MemoryRecord = z.infer<typeof MemoryRecord>;

export const Operation = z.enum(['created', 'modified', 'deleted']);
export type Operation = z.infer<typeof Operation>;

export const VersionRecord = z
  .object({
    id: z.string().regex(/^memver_[A-Za-z0-9]{8,64}$/),
    type: z.literal('memory_version'),
    /** Position in the store's history (1, 2, …): ids are random, timestamps can tie. */
    seq: z.number().int().positive(),
    memory_store_id: z.string(),
    memory_id: z.string(),
    operation: Operation,
    path: z.string().nullable(),
    content: z.string().nullable(),
    content_sha256: Sha256.nullable(),
    content_size_bytes: z.number().int().nonnegative().nullable(),
    created_at: Iso,
    created_by: Actor.nullable(),
    redacted_at: Iso.nullable(),
    redacted_by: Actor.nullable(),
  })
  .strict();
export type VersionRecord = z.infer<typeof VersionRecord>;

/** The lock file's content: who holds the store's write lock. */
export const LockRecord = z.object({
  pid: z.number().int().positive(),
  thread_id: z.number().int().nonnegative(),
  hostname: z.string(),
  acquired_at: Iso,
  token: z.string(),
});
export type LockRecord = z.infer<typeof LockRecord>;

/**
 * One change of a write, as journaled before it is applied: the new version, the memory's new
 * record (null when deleted) and what it replaces (null when created). Replaying a journal is
 * idempotent, so a writer killed halfway is finished by the next one.
 */
export const ChangeRecord = z
  .object({
    version: VersionRecord,
    after: MemoryRecord.nullable(),
    before: z.object({ id: z.string(), path: z.string(), content_sha256: Sha256 }).strict().nullable(),
  })
  .strict();
export type ChangeRecord = z.infer<typeof ChangeRecord>;

export const JournalRecord = z.object({ changes: z.array(ChangeRecord) }).strict();
export type JournalRecord = z.infer<typeof JournalRecord>;
