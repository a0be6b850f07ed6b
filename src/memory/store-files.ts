import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import { DreamworkError, NotFoundError } from '../core/errors.ts';
import { assertId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { mapLimited } from './map-limited.ts';
import { MemoryRecord, StoreRecord, VersionRecord } from './schema.ts';

/**
 * Raw access to one store's directory. No rules here beyond "ids are checked before they
 * become paths" and "what is read parses": the repository decides what may be written.
 */

const MEMORY_FILE = /^mem_[A-Za-z0-9]{8,64}\.json$/;
const VERSION_FILE = /^memver_[A-Za-z0-9]{8,64}\.json$/;
async function listIds(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => pattern.test(n)).map((n) => n.slice(0, -'.json'.length)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** A record whose `id` disagrees with its file name was copied or edited by hand: refuse it. */
async function readRecord<T extends { id: string }>(dir: string, id: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const file = join(dir, `${id}.json`);
  const rec = await readJsonIfExists(file, schema);
  if (rec && rec.id !== id) throw new DreamworkError('corrupt_file', `${file}: id ${JSON.stringify(rec.id)} does not match the file name`);
  return rec;
}

export class StoreFiles {
  readonly dir: string;
  readonly id: string;

  constructor(root: RootPaths, storeId: string, field = 'memory_store_id') {
    this.id = assertId('store', storeId, field);
    this.dir = root.store(this.id);
  }

  get storeJson(): string {
    return join(this.dir, 'store.json');
  }
  get memoriesDir(): string {
    return join(this.dir, 'memories');
  }
  get versionsDir(): string {
    return join(this.dir, 'versions');
  }
  get journal(): string {
    return join(this.dir, 'journal.json');
  }

  async journalExists(): Promise<boolean> {
    try {
      await stat(this.journal);
      return true;
    } catch {
      return false;
    }
  }

  async exists(): Promise<boolean> {
    try {
      await stat(this.storeJson);
      return true;
    } catch {
      return false;
    }
  }

  async readStore(): Promise<StoreRecord> {
    const rec = await readJsonIfExists(this.storeJson, StoreRecord);
    if (!rec) throw new NotFoundError('memory_store', this.id);
    if (rec.id !== this.id) throw new DreamworkError('corrupt_file', `${this.storeJson}: id ${JSON.stringify(rec.id)} does not match the directory`);
    return rec;
  }

  async writeStore(rec: StoreRecord): Promise<void> {
    await writeJsonAtomic(this.storeJson, rec);
  }

  async memoryIds(): Promise<string[]> {
    return listIds(this.memoriesDir, MEMORY_FILE);
  }

  async readMemory(memId: string, field = 'memory_id'): Promise<MemoryRecord> {
    const rec = await readRecord(this.memoriesDir, assertId('memory', memId, field), MemoryRecord);
    if (!rec) throw new NotFoundError('memory', memId);
    return rec;
  }

  async readAllMemories(): Promise<MemoryRecord[]> {
    const ids = await this.memoryIds();
    const recs = await mapLimited(ids, (id) => readRecord(this.memoriesDir, id, MemoryRecord), 64);
    // A file deleted between readdir and read is simply no longer live.
    return recs.filter((r): r is MemoryRecord => r !== undefined);
  }

  async writeMemory(rec: MemoryRecord): Promise<void> {
    await writeJsonAtomic(join(this.memoriesDir, `${rec.id}.json`), rec);
  }

  async removeMemory(memId: string): Promise<void> {
    await rm(join(this.memoriesDir, `${assertId('memory', memId)}.json`), { force: true });
  }

  async versionIds(): Promise<string[]> {
    return listIds(this.versionsDir, VERSION_FILE);
  }

  async readVersion(versionId: string, field = 'memory_version_id'): Promise<VersionRecord> {
    const rec = await readRecord(this.versionsDir, assertId('version', versionId, field), VersionRecord);
    if (!rec) throw new NotFoundError('memory_version', versionId);
    return rec;
  }

  async readAllVersions(): Promise<VersionRecord[]> {
    const ids = await this.versionIds();
    const recs = await mapLimited(ids, (id) => readRecord(this.versionsDir, id, VersionRecord), 64);
    return recs.filter((r): r is VersionRecord => r !== undefined);
  }

  async writeVersion(rec: VersionRecord): Promise<void> {
    await writeJsonAtomic(join(this.versionsDir, `${rec.id}.json`), rec);
  }
}
