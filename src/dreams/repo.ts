import { readdir, access } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { BetaDream } from '@anthropic-ai/sdk/resources/beta/dreams';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { contentId, newId, isId } from '../core/ids.ts';
import { nowIso } from '../core/clock.ts';
import { readJson, readJsonIfExists, writeJsonAtomic } from '../core/atomic.ts';
import { withFileLock } from '../core/lock.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRecord, RunConfig, RunOwner } from './schema.ts';
import type { DreamStatus } from './lifecycle.ts';
import { assertArchivable, assertMove, cancelOutcome, isFinal } from './lifecycle.ts';
import { validateDreamInputs } from './validate.ts';
import { assertTierWritable } from '../tiers/guard.ts';

export interface CreateDreamRequest {
  memory_store_id: string;
  session_ids: string[];
  instructions: string | null;
  model: string;
  output_behavior: 'create_new' | 'update_existing';
  config: RunConfig;
  max_sessions?: number;
}

// Compile-time proof that what we store is what the SDK expects to receive.
const _typeCheck = (d: DreamRecord): BetaDream => d;
void _typeCheck;

/** Dream records on the shared filesystem: dreams/<drm>/dream.json (API shape) + run.json (config). */
export class DreamRepo {
  constructor(private readonly paths: RootPaths) {}

  dir(id: string): string {
    return this.paths.dream(id);
  }
  file(id: string, name: string): string {
    return join(this.dir(id), name);
  }

  async create(req: CreateDreamRequest): Promise<DreamRecord> {
    validateDreamInputs({
      memory_store_id: req.memory_store_id,
      session_ids: req.session_ids,
      instructions: req.instructions,
      ...(req.max_sessions === undefined ? {} : { max_sessions: req.max_sessions }),
    });
    await this.mustExist(join(this.paths.store(req.memory_store_id), 'store.json'), 'memory store', req.memory_store_id);
    if (req.output_behavior === 'update_existing') {
      // Refused here, before any work, rather than when the finished dream tries to write.
      await assertTierWritable(this.paths.store(req.memory_store_id), req.memory_store_id, 'a dream with output_behavior update_existing would write it; use create_new and promote');
    }
    for (const id of req.session_ids) {
      await this.mustExist(join(this.paths.session(id), 'session.json'), 'session', id);
    }
    const id = newId('dream');
    const dream: DreamRecord = {
      id,
      type: 'dream',
      archived_at: null,
      created_at: nowIso(),
      ended_at: null,
      error: null,
      inputs: [
        { type: 'memory_store', memory_store_id: req.memory_store_id },
        { type: 'sessions', session_ids: req.session_ids },
      ],
      instructions: req.instructions,
      model: { id: req.model },
      output_behavior:
        req.output_behavior === 'update_existing'
          ? { type: 'update_existing', memory_store_id: req.memory_store_id }
          : { type: 'create_new' },
      outputs: [],
      session_id: contentId('session', 'dream', id),
      status: 'pending',
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, input_tokens: 0, output_tokens: 0 },
    };
    // Only one update_existing dream may hold a store; checked and recorded under one lock.
    await withFileLock(join(this.paths.locksDir, `store-${req.memory_store_id}.lock`), async () => {
      if (req.output_behavior === 'update_existing') {
        const holder = (await this.list({ include_archived: true })).find(
          (d) =>
            !isFinal(d.status) &&
            d.output_behavior.type === 'update_existing' &&
            d.output_behavior.memory_store_id === req.memory_store_id,
        );
        if (holder) {
          throw new ConflictError(
            'target_store_held',
            `memory store ${req.memory_store_id} is being updated by dream ${holder.id}; wait for it or use create_new`,
          );
        }
      }
      await writeJsonAtomic(this.file(id, 'run.json'), req.config);
      await writeJsonAtomic(this.file(id, 'dream.json'), dream);
    });
    return dream;
  }

  async get(id: string): Promise<DreamRecord> {
    const dream = await readJsonIfExists(this.file(id, 'dream.json'), DreamRecord);
    if (!dream) throw new NotFoundError('dream', id);
    return dream;
  }

  async config(id: string): Promise<RunConfig> {
    return readJson(this.file(id, 'run.json'), RunConfig);
  }

  async list(filter: { include_archived?: boolean; statuses?: DreamStatus[] } = {}): Promise<DreamRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.paths.dreamsDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: DreamRecord[] = [];
    for (const name of names.filter((n) => isId('dream', n))) {
      const d = await readJsonIfExists(this.file(name, 'dream.json'), DreamRecord);
      if (!d) continue;
      if (!filter.include_archived && d.archived_at) continue;
      if (filter.statuses && !filter.statuses.includes(d.status)) continue;
      out.push(d);
    }
    // Newest first, as the API lists; ids break ties so the order is stable.
    return out.sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
  }

  /** Read-modify-write of dream.json under the dream's lock, so a cancel and a runner never race. */
  async update(id: string, fn: (d: DreamRecord) => DreamRecord | undefined): Promise<DreamRecord> {
    return withFileLock(this.file(id, '.lock'), async () => {
      const current = await this.get(id);
      const next = fn(structuredClone(current));
      if (!next) return current;
      await writeJsonAtomic(this.file(id, 'dream.json'), next);
      return next;
    });
  }

  async transition(id: string, to: DreamStatus, patch: Partial<DreamRecord> = {}): Promise<DreamRecord> {
    return this.update(id, (d) => {
      assertMove(id, d.status, to);
      return { ...d, ...patch, status: to, ended_at: isFinal(to) ? nowIso() : d.ended_at };
    });
  }

  async cancel(id: string): Promise<DreamRecord> {
    return this.update(id, (d) => {
      if (cancelOutcome(id, d.status) === 'noop') return undefined;
      return { ...d, status: 'canceled', ended_at: nowIso() };
    });
  }

  async archive(id: string): Promise<DreamRecord> {
    return this.update(id, (d) => {
      assertArchivable(id, d.status);
      if (d.archived_at) return undefined;
      return { ...d, archived_at: nowIso() };
    });
  }

  async setOwner(id: string): Promise<void> {
    await writeJsonAtomic(this.file(id, 'owner.json'), { pid: process.pid, host: hostname(), started_at: nowIso() });
  }

  async owner(id: string): Promise<RunOwner | undefined> {
    return readJsonIfExists(this.file(id, 'owner.json'), RunOwner);
  }

  private async mustExist(file: string, kind: string, id: string): Promise<void> {
    try {
      await access(file);
    } catch {
      throw new NotFoundError(kind, id);
    }
  }
}
