import type { BetaManagedAgentsPrecondition } from '@anthropic-ai/sdk/resources/beta/memory-stores/memories';
import { ConflictError, InvalidInputError } from '../core/errors.ts';
import { validateSha256 } from './content.ts';
import type { PathIndex } from './path-index.ts';
import { Actor, type StoreRecord } from './schema.ts';

/** The API's write rules that produce user-facing errors, each naming the field it is about. */

export function parseActor(actor: unknown): Actor {
  const r = Actor.safeParse(actor);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InvalidInputError('invalid_actor', `actor${issue && issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue?.message ?? 'invalid'} (expected session_actor, api_actor, user_actor or service_account_actor)`, { field: 'actor' });
  }
  return r.data;
}

export function parsePrecondition(p: BetaManagedAgentsPrecondition | undefined): string | undefined {
  if (p === undefined || p === null) return undefined;
  if (typeof p !== 'object' || p.type !== 'content_sha256') {
    throw new InvalidInputError('invalid_precondition', `precondition.type: ${JSON.stringify((p as { type?: unknown })?.type)} is not supported (only "content_sha256")`, { field: 'precondition.type' });
  }
  return validateSha256(p.content_sha256, 'precondition.content_sha256');
}

export function preconditionFailed(memId: string, field: string, expected: string): ConflictError {
  return new ConflictError('memory_precondition_failed', `${field}: memory ${memId} no longer has content_sha256 ${expected}; retrieve it and retry`, 'memory_precondition_failed_error', { memory_id: memId });
}

export function assertNoConflict(index: PathIndex, path: string, selfId?: string): void {
  const hit = index.conflictFor(path, selfId);
  if (!hit) return;
  const why = hit.path === path ? 'is already used by' : hit.path.startsWith(`${path}/`) ? 'is a folder of' : 'is below';
  const detail = hit.path === path ? `memory ${hit.id}` : `memory ${hit.id} at ${JSON.stringify(hit.path)}`;
  throw new ConflictError('memory_path_conflict', `path: ${JSON.stringify(path)} ${why} ${detail}`, 'memory_path_conflict_error', {
    conflicting_memory_id: hit.id,
    conflicting_path: hit.path,
  });
}

/** Archived stores refuse creating/updating memories and updating the store (409). */
export function assertWritable(rec: StoreRecord): StoreRecord {
  if (rec.archived_at !== null) {
    throw new ConflictError('store_archived', `memory_store_id: ${rec.id} was archived at ${rec.archived_at} and is read-only`, 'conflict_error', { memory_store_id: rec.id });
  }
  return rec;
}
