import type { BetaManagedAgentsMemoryStore } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-stores';
import type {
  BetaManagedAgentsMemory,
  BetaManagedAgentsMemoryView,
} from '@anthropic-ai/sdk/resources/beta/memory-stores/memories';
import type { BetaManagedAgentsMemoryVersion } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-versions';
import { InvalidInputError } from '../core/errors.ts';
import type { MemoryRecord, StoreRecord, VersionRecord } from './schema.ts';

/**
 * Stored records → the API's objects. Fresh objects every time, so a caller mutating a result
 * can never reach what is cached or about to be written. `view=basic` drops `content` (null)
 * but keeps its size and hash, as the API does.
 */

export type View = BetaManagedAgentsMemoryView;

export function parseView(view: unknown, fallback: View, field = 'view'): View {
  if (view === undefined || view === null) return fallback;
  if (view === 'basic' || view === 'full') return view;
  throw new InvalidInputError('invalid_view', `${field}: ${JSON.stringify(view)} is not "basic" or "full"`, { field });
}

export function storeView(rec: StoreRecord): BetaManagedAgentsMemoryStore {
  return {
    id: rec.id,
    type: 'memory_store',
    name: rec.name,
    description: rec.description,
    metadata: { ...rec.metadata },
    created_at: rec.created_at,
    updated_at: rec.updated_at,
    archived_at: rec.archived_at,
  };
}

export function memoryView(rec: MemoryRecord, view: View): BetaManagedAgentsMemory {
  return {
    id: rec.id,
    type: 'memory',
    memory_store_id: rec.memory_store_id,
    path: rec.path,
    content: view === 'full' ? rec.content : null,
    content_sha256: rec.content_sha256,
    content_size_bytes: rec.content_size_bytes,
    memory_version_id: rec.memory_version_id,
    created_at: rec.created_at,
    updated_at: rec.updated_at,
  };
}

export function versionView(rec: VersionRecord, view: View): BetaManagedAgentsMemoryVersion {
  const out: BetaManagedAgentsMemoryVersion = {
    id: rec.id,
    type: 'memory_version',
    memory_store_id: rec.memory_store_id,
    memory_id: rec.memory_id,
    operation: rec.operation,
    path: rec.path,
    content: view === 'full' ? rec.content : null,
    content_sha256: rec.content_sha256,
    content_size_bytes: rec.content_size_bytes,
    created_at: rec.created_at,
    redacted_at: rec.redacted_at,
  };
  // The SDK types these two as optional actors, not nullable: omit rather than send null.
  if (rec.created_by) out.created_by = { ...rec.created_by };
  if (rec.redacted_by) out.redacted_by = { ...rec.redacted_by };
  return out;
}
