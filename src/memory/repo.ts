import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type {
  BetaManagedAgentsDeletedMemoryStore,
  BetaManagedAgentsMemoryStore,
} from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-stores';
import type {
  BetaManagedAgentsDeletedMemory,
  BetaManagedAgentsMemory,
  BetaManagedAgentsMemoryListItem,
  BetaManagedAgentsPrecondition,
} from '@anthropic-ai/sdk/resources/beta/memory-stores/memories';
import type { BetaManagedAgentsMemoryVersion } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-versions';
import { nowIso } from '../core/clock.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { assertId, isId, newId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { planSnapshot, type ApplyResult } from './apply-plan.ts';
import { repairTree } from './commit.ts';
import { validateContent, validateSha256 } from './content.ts';
import { exportSnapshot } from './export.ts';
import { MAX_MEMORIES_PER_STORE } from './limits.ts';
import { forgetStore, loadMemories } from './memory-cache.ts';
import { listMemoryItems, type ListMemoriesParams } from './list.ts';
import { comparePaths, validateMemoryPath } from './paths.ts';
import type { Actor, MemoryRecord, StoreRecord } from './schema.ts';
import { assertNoConflict, assertWritable, parseActor, parsePrecondition, preconditionFailed } from './rules.ts';
import { validateSnapshot, type StoreSnapshot } from './snapshot.ts';
import { StoreFiles } from './store-files.ts';
import { patchMetadata, validateDescription, validateMetadata, validateStoreName } from './store-params.ts';
import { screenClientWrite } from '../screening/client-write.ts';
import { queryVersions, type ListVersionsParams } from './version-query.ts';
import { locked, mutate } from './write-path.ts';
import { stripTierKey, TierGuardedFiles, withTier } from '../tiers/guard.ts';
import { readTier } from '../tiers/tier.ts';
import { memoryView, parseView, storeView, versionView, type View } from './views.ts';

export type { ApplyResult, ListMemoriesParams, ListVersionsParams, StoreSnapshot };

/**
 * Memory stores on the shared filesystem, with the API's rules. Reads take no lock (every file
 * is replaced atomically); writes hold the store's lock (see lock.ts) and go through one
 * journaled commit (see commit.ts).
 *
 * Archived stores (SDK semantics): memories can't be created or updated and the store can't be
 * updated — those fail with 409 `conflict_error` code `store_archived`; reading, deleting
 * memories, redacting versions and deleting the store still work.
 */
export class MemoryStoreRepo {
  /**
   * `privileged`: may write org/project-tier stores. Only src/review-actions builds one; every
   * other repo refuses those writes with 403 `store_read_only_tier` (src/tiers/guard.ts).
   */
  constructor(
    private readonly root: RootPaths,
    private readonly opts: { privileged?: boolean } = {},
  ) {}

  private files(storeId: string): StoreFiles {
    return new StoreFiles(this.root, storeId);
  }

  /** Every write opens the store through here: the tier check happens when store.json is read. */
  private writeFiles(storeId: string): StoreFiles {
    return this.opts.privileged ? this.files(storeId) : new TierGuardedFiles(this.root, storeId);
  }

  // ---- stores ----

  async createStore(params: { name: string; description?: string; metadata?: Record<string, string> }): Promise<BetaManagedAgentsMemoryStore> {
    const now = nowIso();
    const rec: StoreRecord = {
      id: newId('store'),
      type: 'memory_store',
      name: validateStoreName(params.name),
      description: params.description === undefined ? '' : validateDescription(params.description),
      metadata: params.metadata === undefined ? {} : validateMetadata(stripTierKey(params.metadata, null)),
      created_at: now,
      updated_at: now,
      archived_at: null,
    };
    const files = this.files(rec.id);
    for (const d of [files.memoriesDir, files.versionsDir, join(files.dir, 'tree')]) await mkdir(d, { recursive: true });
    // store.json last: a store exists once its record does.
    await files.writeStore(rec);
    return storeView(rec);
  }

  async getStore(storeId: string): Promise<BetaManagedAgentsMemoryStore> {
    const files = this.files(storeId);
    return withTier(storeView(await files.readStore()), files.dir);
  }

  /** Newest first, archived ones only when asked. */
  async listStores(params: { include_archived?: boolean } = {}): Promise<BetaManagedAgentsMemoryStore[]> {
    let names: string[];
    try {
      names = await readdir(this.root.storesDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: StoreRecord[] = [];
    for (const name of names.filter((n) => isId('store', n))) {
      const files = this.files(name);
      if (!(await files.exists())) continue; // being created or deleted
      const rec = await files.readStore();
      if (rec.archived_at === null || params.include_archived) out.push(rec);
    }
    out.sort((a, b) => (a.created_at === b.created_at ? comparePaths(a.id, b.id) : a.created_at < b.created_at ? 1 : -1));
    return Promise.all(out.map((rec) => withTier(storeView(rec), this.files(rec.id).dir)));
  }

  async updateStore(
    storeId: string,
    params: { name?: string | null; description?: string | null; metadata?: Record<string, string | null> | null },
  ): Promise<BetaManagedAgentsMemoryStore> {
    const files = this.writeFiles(storeId);
    return locked(files, async () => {
      const rec = assertWritable(await files.readStore());
      const metadata = stripTierKey(params.metadata, rec.id, await readTier(files.dir));
      const next: StoreRecord = { ...rec };
      if (params.name != null) next.name = validateStoreName(params.name);
      if (params.description != null) next.description = validateDescription(params.description);
      if (metadata != null) next.metadata = patchMetadata(rec.metadata, metadata);
      if (JSON.stringify(next) === JSON.stringify(rec)) return withTier(storeView(rec), files.dir);
      next.updated_at = nowIso();
      await files.writeStore(next);
      return withTier(storeView(next), files.dir);
    });
  }

  /** Archiving can't be undone; archiving an archived store returns it unchanged. */
  async archiveStore(storeId: string): Promise<BetaManagedAgentsMemoryStore> {
    const files = this.writeFiles(storeId);
    return locked(files, async () => {
      const rec = await files.readStore();
      if (rec.archived_at !== null) return storeView(rec);
      const now = nowIso();
      const next: StoreRecord = { ...rec, archived_at: now, updated_at: now };
      await files.writeStore(next);
      return storeView(next);
    });
  }

  /** The directory is renamed away first, so the store disappears at once for every reader. */
  async deleteStore(storeId: string): Promise<BetaManagedAgentsDeletedMemoryStore> {
    const files = this.writeFiles(storeId);
    return locked(files, async () => {
      await files.readStore();
      const trash = join(this.root.storesDir, `.deleted-${files.id}-${randomBytes(6).toString('hex')}`);
      await rename(files.dir, trash);
      forgetStore(files);
      await rm(trash, { recursive: true, force: true });
      return { id: files.id, type: 'memory_store_deleted' };
    });
  }

  // ---- memories ----

  async createMemory(storeId: string, params: { path: string; content: string; view?: View }, actor: Actor): Promise<BetaManagedAgentsMemory> {
    const path = validateMemoryPath(params.path, 'path');
    const content = validateContent(params.content, 'content');
    const view = parseView(params.view, 'basic');
    await screenClientWrite(this.root, this.files(storeId).id, path, content, actor, 'create', () => this.writeFiles(storeId).readStore());
    return mutate(this.writeFiles(storeId), actor, true, (planner) => {
      if (planner.liveCount >= MAX_MEMORIES_PER_STORE) {
        throw new ConflictError('memory_limit_exceeded', `${path}: store ${storeId} already holds ${planner.liveCount} memories; the limit is ${MAX_MEMORIES_PER_STORE}`, 'conflict_error', { limit: MAX_MEMORIES_PER_STORE });
      }
      assertNoConflict(planner.index, path);
      return memoryView(planner.create(path, content), view);
    });
  }

  async getMemory(storeId: string, memId: string, params: { view?: View } = {}): Promise<BetaManagedAgentsMemory> {
    const view = parseView(params.view, 'full');
    const files = this.files(storeId);
    await files.readStore();
    return memoryView(await files.readMemory(memId), view);
  }

  async getMemoryByPath(storeId: string, path: string, params: { view?: View } = {}): Promise<BetaManagedAgentsMemory> {
    validateMemoryPath(path, 'path');
    const view = parseView(params.view, 'full');
    const mem = (await this.liveMemories(storeId)).find((m) => m.path === path);
    if (!mem) throw new NotFoundError('memory at path', path);
    return memoryView(mem, view);
  }

  /**
   * Rename and/or rewrite. With a `content_sha256` precondition that no longer holds, fails with
   * 409 `memory_precondition_failed_error` — unless the memory already is exactly what was asked
   * (SDK semantics). A no-op update writes no version.
   */
  async updateMemory(
    storeId: string,
    memId: string,
    params: { path?: string | null; content?: string | null; precondition?: BetaManagedAgentsPrecondition; view?: View },
    actor: Actor,
  ): Promise<BetaManagedAgentsMemory> {
    assertId('memory', memId, 'memory_id');
    const path = params.path == null ? undefined : validateMemoryPath(params.path, 'path');
    const content = params.content == null ? undefined : validateContent(params.content, 'content');
    const expected = parsePrecondition(params.precondition);
    const view = parseView(params.view, 'basic');
    if (content !== undefined) {
      const files = this.files(storeId);
      await screenClientWrite(this.root, files.id, async () => path ?? (await files.readMemory(memId)).path, content, actor, 'update', () => this.writeFiles(storeId).readStore());
    }
    return mutate(this.writeFiles(storeId), actor, true, (planner) => {
      const mem = planner.byId.get(memId);
      if (!mem) throw new NotFoundError('memory', memId);
      const alreadyThere = (path ?? mem.path) === mem.path && (content ?? mem.content) === mem.content;
      if (expected !== undefined && expected !== mem.content_sha256 && !alreadyThere) {
        throw preconditionFailed(memId, 'precondition.content_sha256', expected);
      }
      if (path !== undefined && path !== mem.path) assertNoConflict(planner.index, path, mem.id);
      const edit: { path?: string; content?: string } = {};
      if (path !== undefined) edit.path = path;
      if (content !== undefined) edit.content = content;
      return memoryView(planner.modify(mem, edit), view);
    });
  }

  async deleteMemory(storeId: string, memId: string, params: { expected_content_sha256?: string }, actor: Actor): Promise<BetaManagedAgentsDeletedMemory> {
    assertId('memory', memId, 'memory_id');
    const expected = params.expected_content_sha256 === undefined ? undefined : validateSha256(params.expected_content_sha256, 'expected_content_sha256');
    return mutate(this.writeFiles(storeId), actor, false, (planner) => {
      const mem = planner.byId.get(memId);
      if (!mem) throw new NotFoundError('memory', memId);
      if (expected !== undefined && expected !== mem.content_sha256) throw preconditionFailed(memId, 'expected_content_sha256', expected);
      planner.delete(mem);
      return { id: mem.id, type: 'memory_deleted' as const };
    });
  }

  async listMemories(storeId: string, params: ListMemoriesParams = {}): Promise<BetaManagedAgentsMemoryListItem[]> {
    return listMemoryItems(await this.liveMemories(storeId), params);
  }

  // ---- versions ----

  async listVersions(storeId: string, params: ListVersionsParams = {}): Promise<BetaManagedAgentsMemoryVersion[]> {
    const files = this.files(storeId);
    await files.readStore();
    return queryVersions(await files.readAllVersions(), params);
  }

  async getVersion(storeId: string, versionId: string, params: { view?: View } = {}): Promise<BetaManagedAgentsMemoryVersion> {
    const view = parseView(params.view, 'full');
    const files = this.files(storeId);
    await files.readStore();
    return versionView(await files.readVersion(versionId), view);
  }

  /**
   * Clears a version's content, path, size and hash — the only change a version ever gets.
   * Idempotent. The version holding a live memory's current content is refused (409
   * `conflict_error`): its text is still live, so update or delete the memory first.
   */
  async redactVersion(storeId: string, versionId: string, actor: Actor): Promise<BetaManagedAgentsMemoryVersion> {
    const by = parseActor(actor);
    const files = this.writeFiles(storeId);
    return locked(files, async () => {
      await files.readStore();
      const v = await files.readVersion(versionId);
      if (v.redacted_at !== null) return versionView(v, 'full');
      const live = (await loadMemories(files)).memories.find((m) => m.memory_version_id === v.id);
      if (live) {
        throw new ConflictError('version_is_live', `memory_version_id: ${versionId} holds the current content of memory ${live.id} (${live.path}); update or delete the memory before redacting`, 'conflict_error', { memory_id: live.id });
      }
      const next = { ...v, content: null, path: null, content_sha256: null, content_size_bytes: null, redacted_at: nowIso(), redacted_by: by };
      await files.writeVersion(next);
      return versionView(next, 'full');
    });
  }

  // ---- dream pipeline helpers ----

  /** Live memories as plain data, sorted by path. */
  async snapshot(storeId: string): Promise<StoreSnapshot> {
    return (await this.liveMemories(storeId)).map((m) => ({ path: m.path, content: m.content }));
  }

  /** A new store whose memories start as a copy of `fromId`'s; the source is only read. */
  async copyStore(fromId: string, params: { name: string; description?: string; metadata?: Record<string, string> }, actor: Actor): Promise<BetaManagedAgentsMemoryStore> {
    parseActor(actor);
    const snap = await this.snapshot(fromId);
    const created = await this.createStore(params);
    try {
      await this.applySnapshot(created.id, snap, actor);
    } catch (e) {
      await this.deleteStore(created.id).catch(() => undefined);
      throw e;
    }
    return created;
  }

  /** Make the live memories equal `target` with the fewest versions; nothing is written if any entry is invalid. */
  async applySnapshot(storeId: string, target: StoreSnapshot, actor: Actor): Promise<ApplyResult> {
    const valid = validateSnapshot(target);
    return mutate(this.writeFiles(storeId), actor, true, (planner) => planSnapshot(planner, valid));
  }

  /**
   * applySnapshot for recorded review actions (src/review-actions): `check` sees the live
   * memories under the store's lock, so a preview that went stale is refused before anything is
   * written, and the versions written come back for the review record.
   */
  async applyChecked(
    storeId: string,
    target: StoreSnapshot,
    actor: Actor,
    check: (live: readonly MemoryRecord[]) => void,
  ): Promise<ApplyResult & { versions: { id: string; seq: number }[] }> {
    const valid = validateSnapshot(target);
    return mutate(this.writeFiles(storeId), actor, true, (planner) => {
      check([...planner.byId.values()]);
      const result = planSnapshot(planner, valid);
      return { ...result, versions: planner.changes.map((c) => ({ id: c.version.id, seq: c.version.seq })) };
    });
  }

  async exportTree(storeId: string, dir: string): Promise<{ dir: string; files: string[] }> {
    return exportSnapshot(await this.snapshot(storeId), dir);
  }

  /** Rebuild tree/ from the memory records; returns how many files it had to fix. */
  async repairTree(storeId: string): Promise<number> {
    const files = this.files(storeId);
    return locked(files, () => repairTree(files));
  }

  // ---- internals ----

  private async liveMemories(storeId: string): Promise<MemoryRecord[]> {
    const files = this.files(storeId);
    await files.readStore();
    return [...(await loadMemories(files)).memories].sort((a, b) => comparePaths(a.path, b.path));
  }
}
