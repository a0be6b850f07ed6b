import { newId } from '../core/ids.ts';
import { contentFacts } from './content.ts';
import { PathIndex } from './path-index.ts';
import type { Actor, ChangeRecord, MemoryRecord, Operation, StoreRecord, VersionRecord } from './schema.ts';

/**
 * Turns intended edits into change records against the store's current state, without touching
 * disk. It keeps the path index and version sequence current as it goes, so one planner can
 * hold a whole batch (applySnapshot). Rules that need the caller's intent (preconditions, path
 * conflicts, limits) are checked by the repository before it calls here.
 */
export class Planner {
  readonly changes: ChangeRecord[] = [];
  readonly byId: Map<string, MemoryRecord>;
  readonly index: PathIndex;
  private seq: number;

  constructor(
    private readonly store: StoreRecord,
    memories: readonly MemoryRecord[],
    versionCount: number,
    private readonly actor: Actor,
    private readonly now: string,
  ) {
    this.byId = new Map(memories.map((m) => [m.id, m]));
    this.index = new PathIndex(memories.map((m) => ({ path: m.path, id: m.id })));
    this.seq = versionCount;
  }

  get liveCount(): number {
    return this.byId.size;
  }

  private version(memoryId: string, operation: Operation, path: string, content: string | null): VersionRecord {
    const facts = content === null ? null : contentFacts(content);
    return {
      id: newId('version'),
      type: 'memory_version',
      seq: ++this.seq,
      memory_store_id: this.store.id,
      memory_id: memoryId,
      operation,
      path,
      content,
      content_sha256: facts?.content_sha256 ?? null,
      content_size_bytes: facts?.content_size_bytes ?? null,
      created_at: this.now,
      created_by: { ...this.actor },
      redacted_at: null,
      redacted_by: null,
    };
  }

  create(path: string, content: string): MemoryRecord {
    const id = newId('memory');
    const v = this.version(id, 'created', path, content);
    const rec: MemoryRecord = {
      id,
      type: 'memory',
      memory_store_id: this.store.id,
      path,
      content,
      content_sha256: v.content_sha256!,
      content_size_bytes: v.content_size_bytes!,
      memory_version_id: v.id,
      created_at: this.now,
      updated_at: this.now,
    };
    this.changes.push({ version: v, after: rec, before: null });
    this.byId.set(id, rec);
    this.index.add({ path, id });
    return rec;
  }

  /** Returns the memory unchanged (and records nothing) when neither path nor content changes. */
  modify(mem: MemoryRecord, edit: { path?: string; content?: string }): MemoryRecord {
    const path = edit.path ?? mem.path;
    const content = edit.content ?? mem.content;
    if (path === mem.path && content === mem.content) return mem;
    const v = this.version(mem.id, 'modified', path, content);
    const rec: MemoryRecord = {
      ...mem,
      path,
      content,
      content_sha256: v.content_sha256!,
      content_size_bytes: v.content_size_bytes!,
      memory_version_id: v.id,
      updated_at: this.now,
    };
    this.changes.push({ version: v, after: rec, before: { id: mem.id, path: mem.path, content_sha256: mem.content_sha256 } });
    this.byId.set(mem.id, rec);
    if (path !== mem.path) {
      this.index.remove(mem.path);
      this.index.add({ path, id: mem.id });
    }
    return rec;
  }

  /** The `deleted` version keeps the path but no content, size or hash (SDK semantics). */
  delete(mem: MemoryRecord): void {
    const v = this.version(mem.id, 'deleted', mem.path, null);
    this.changes.push({ version: v, after: null, before: { id: mem.id, path: mem.path, content_sha256: mem.content_sha256 } });
    this.byId.delete(mem.id);
    this.index.remove(mem.path);
  }
}
