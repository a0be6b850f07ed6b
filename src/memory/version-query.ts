import type { BetaManagedAgentsMemoryVersion } from '@anthropic-ai/sdk/resources/beta/memory-stores/memory-versions';
import { InvalidInputError } from '../core/errors.ts';
import type { VersionRecord } from './schema.ts';
import { parseView, versionView } from './views.ts';

/** Filters of List Memory Versions, named as the SDK sends them. */
export interface ListVersionsParams {
  memory_id?: string;
  operation?: 'created' | 'modified' | 'deleted';
  session_id?: string;
  api_key_id?: string;
  service_account_id?: string;
  user_id?: string;
  'created_at[gte]'?: string;
  'created_at[lte]'?: string;
  view?: 'basic' | 'full';
}

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidInputError('invalid_timestamp', `${field}: ${JSON.stringify(value)} is not an RFC 3339 timestamp`, { field });
  return t;
}

/** Newest first (by the store's version sequence, which never ties). */
export function queryVersions(versions: readonly VersionRecord[], params: ListVersionsParams = {}): BetaManagedAgentsMemoryVersion[] {
  const view = parseView(params.view, 'basic');
  if (params.operation !== undefined && !['created', 'modified', 'deleted'].includes(params.operation)) {
    throw new InvalidInputError('invalid_operation', `operation: ${JSON.stringify(params.operation)} is not created, modified or deleted`, { field: 'operation' });
  }
  const gte = parseTime(params['created_at[gte]'], 'created_at[gte]');
  const lte = parseTime(params['created_at[lte]'], 'created_at[lte]');
  const actorMatches = (v: VersionRecord): boolean => {
    const a = v.created_by;
    if (params.session_id !== undefined && !(a?.type === 'session_actor' && a.session_id === params.session_id)) return false;
    if (params.api_key_id !== undefined && !(a?.type === 'api_actor' && a.api_key_id === params.api_key_id)) return false;
    if (params.user_id !== undefined && !(a?.type === 'user_actor' && a.user_id === params.user_id)) return false;
    if (params.service_account_id !== undefined && !(a?.type === 'service_account_actor' && a.service_account_id === params.service_account_id)) return false;
    return true;
  };
  return versions
    .filter((v) => params.memory_id === undefined || v.memory_id === params.memory_id)
    .filter((v) => params.operation === undefined || v.operation === params.operation)
    .filter(actorMatches)
    .filter((v) => {
      const t = Date.parse(v.created_at);
      return (gte === undefined || t >= gte) && (lte === undefined || t <= lte);
    })
    .sort((a, b) => b.seq - a.seq)
    .map((v) => versionView(v, view));
}
