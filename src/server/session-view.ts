/**
 * Our sessions in the API's Managed Agents shapes. Sessions here are imported transcripts (or a
 * dream's own event log), not runs of a hosted agent, so fields with no counterpart get fixed,
 * documented values (docs/server.md "## Sessions"):
 *
 *   imported session ─► status `terminated` (it is over), agent = the format it came from,
 *                       metadata += dreamwork.kind / .format / .source / .lines / .events
 *   dream session    ─► status from the dream (pending → rescheduling, running → running,
 *                       completed → idle, failed/canceled → terminated), usage = dream usage,
 *                       outcome_evaluations from its grader spans, the input store as a resource
 *
 * Every event keeps `source_lines` (where it came from in the original file) beside the SDK's
 * fields; events with no SDK type (build-log lines, dream progress) become `system.message`
 * with the original under `dreamwork_event`.
 */
import { basename } from 'node:path';
import type { BetaManagedAgentsSession, BetaManagedAgentsOutcomeEvaluationResource } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import { contentId } from '../core/ids.ts';
import type { DreamEvent } from '../dreams/event-log.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import type { Session, SessionEvent } from '../sessions/schema.ts';

/** An SDK event plus where it came from; extra fields the SDK passes through untouched. */
export type ApiEvent = BetaManagedAgentsSessionEvent & {
  source_lines?: [number, number] | null;
  dreamwork_event?: Record<string, unknown>;
};

const EMPTY_AGENT = {
  type: 'agent',
  description: null,
  execution_identity: { type: 'service_account' },
  mcp_servers: [],
  multiagent: null,
  skills: [],
  system: null,
  tools: [],
  version: 1,
} as const;

function seconds(from: string | null, to: string | null): number | undefined {
  if (!from || !to) return undefined;
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : undefined;
}

export function importedSessionView(s: Session): BetaManagedAgentsSession {
  const duration = seconds(s.started_at, s.ended_at);
  return {
    id: s.id,
    type: 'session',
    agent: { ...EMPTY_AGENT, id: `imported_${s.format}`, name: s.format, model: { id: 'unknown' }, mcp_servers: [], skills: [], tools: [] },
    archived_at: s.archived_at,
    budget: null,
    created_at: s.created_at,
    environment_id: 'imported',
    metadata: {
      ...s.metadata,
      'dreamwork.kind': s.kind,
      'dreamwork.format': s.format,
      'dreamwork.source': basename(s.source.path),
      'dreamwork.lines': String(s.line_count),
      'dreamwork.events': String(s.event_count),
      ...(s.outcome?.exit_status ? { 'dreamwork.exit_status': s.outcome.exit_status } : {}),
      ...(s.outcome?.resolved != null ? { 'dreamwork.resolved': String(s.outcome.resolved) } : {}),
    },
    outcome_evaluations: [],
    resources: [],
    stats: duration === undefined ? {} : { duration_seconds: duration },
    status: 'terminated',
    title: s.title,
    updated_at: s.archived_at ?? s.created_at,
    usage: {},
    vault_ids: [],
  };
}

const DREAM_SESSION_STATUS: Record<DreamRecord['status'], BetaManagedAgentsSession['status']> = {
  pending: 'rescheduling',
  running: 'running',
  completed: 'idle',
  failed: 'terminated',
  canceled: 'terminated',
};

export function dreamSessionView(d: DreamRecord, events: readonly DreamEvent[]): BetaManagedAgentsSession {
  const store = d.inputs.find((i) => i.type === 'memory_store');
  const evaluations: BetaManagedAgentsOutcomeEvaluationResource[] = events
    .filter((e) => e.type === 'span.outcome_evaluation_end')
    .map((e) => ({
      type: 'outcome_evaluation',
      completed_at: e.processed_at,
      description: 'dreamwork rubric',
      explanation: typeof e.explanation === 'string' ? e.explanation : null,
      iteration: typeof e.iteration === 'number' ? e.iteration : 0,
      outcome_id: outcomeId(d),
      result: typeof e.result === 'string' ? e.result : 'unknown',
    }));
  const last = events[events.length - 1]?.processed_at;
  const duration = seconds(d.created_at, d.ended_at);
  return {
    id: d.session_id ?? d.id,
    type: 'session',
    agent: { ...EMPTY_AGENT, id: 'dreamwork', name: 'dreamwork', model: { id: d.model.id }, mcp_servers: [], skills: [], tools: [] },
    archived_at: d.archived_at,
    budget: null,
    created_at: d.created_at,
    environment_id: 'dreamwork',
    metadata: { 'dreamwork.dream_id': d.id, 'dreamwork.dream_status': d.status },
    outcome_evaluations: evaluations,
    resources: store && store.type === 'memory_store' ? [{ type: 'memory_store', memory_store_id: store.memory_store_id, access: 'read_only' }] : [],
    stats: duration === undefined ? {} : { duration_seconds: duration },
    status: DREAM_SESSION_STATUS[d.status],
    title: `dream ${d.id}`,
    updated_at: [d.ended_at, d.archived_at, last, d.created_at].filter((x): x is string => !!x).sort().at(-1)!,
    usage: {
      input_tokens: d.usage.input_tokens,
      output_tokens: d.usage.output_tokens,
      cache_read_input_tokens: d.usage.cache_read_input_tokens,
      cache_creation: {},
    },
    vault_ids: [],
  };
}

function outcomeId(d: DreamRecord): string {
  return contentId('event', 'outcome', d.id);
}

/**
 * Imported events, one at a time (a session can hold millions): same types where the SDK has
 * them. A tool result points at the tool-use event's id (as the API's do) when the transcript
 * paired them, else at the transcript's own id.
 */
export function importedEventMapper(session: Session): (e: SessionEvent) => ApiEvent {
  const useEvent = new Map<string, string>();
  const at = (e: SessionEvent) => e.processed_at ?? session.started_at ?? session.created_at;
  return (e) => {
    const base = { id: e.id, processed_at: at(e), source_lines: e.source_lines };
    switch (e.type) {
      case 'user.message':
        return { ...base, type: 'user.message', content: e.content };
      case 'agent.message':
        return { ...base, type: 'agent.message', content: e.content };
      case 'system.message':
        return { ...base, type: 'system.message', content: e.content };
      case 'agent.tool_use':
        if (e.tool_use_id) useEvent.set(e.tool_use_id, e.id);
        return { ...base, type: 'agent.tool_use', name: e.name, input: e.input };
      case 'agent.tool_result':
        return {
          ...base,
          type: 'agent.tool_result',
          tool_use_id: (e.tool_use_id ? useEvent.get(e.tool_use_id) : undefined) ?? e.tool_use_id ?? '',
          content: e.content,
          is_error: e.is_error,
        };
      case 'log.lines':
        return { ...base, type: 'system.message', content: e.content, dreamwork_event: { type: 'log.lines' } };
    }
  };
}

/** One line saying what a dream progress event says, for people reading the stream. */
function describe(e: DreamEvent): string {
  const { id: _id, type, processed_at: _at, ...fields } = e;
  return `${type} ${JSON.stringify(fields)}`;
}

/** A dream's log events; progress with no SDK type becomes system.message carrying the original. */
export function dreamEventView(d: DreamRecord, e: DreamEvent): ApiEvent {
  const base = { id: e.id, processed_at: e.processed_at };
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  switch (e.type) {
    case 'dream.running':
      return { ...base, type: 'session.status_running', dreamwork_event: { ...e } };
    case 'span.outcome_evaluation_start':
      return { ...base, type: 'span.outcome_evaluation_start', iteration: num(e.iteration), outcome_id: outcomeId(d) };
    case 'span.outcome_evaluation_end':
      return {
        ...base,
        type: 'span.outcome_evaluation_end',
        iteration: num(e.iteration),
        outcome_id: outcomeId(d),
        outcome_evaluation_start_id: typeof e.outcome_evaluation_start_id === 'string' ? e.outcome_evaluation_start_id : '',
        result: typeof e.result === 'string' ? e.result : 'unknown',
        explanation: typeof e.explanation === 'string' ? e.explanation : '',
        usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        dreamwork_event: { criteria: e.criteria },
      };
    case 'dream.failed': {
      const err = (e.error ?? {}) as { type?: unknown; message?: unknown };
      return {
        ...base,
        type: 'session.error',
        error: { type: 'unknown_error', message: `${String(err.type ?? 'error')}: ${String(err.message ?? '')}`, retry_status: { type: 'terminal' } },
        dreamwork_event: { ...e },
      };
    }
    default:
      return { ...base, type: 'system.message', content: [{ type: 'text', text: describe(e) }], dreamwork_event: { ...e } };
  }
}

/** The event that closes a dream's stream, from its final status (not stored in the log). */
export function dreamEndEvent(d: DreamRecord): ApiEvent {
  const base = { id: contentId('event', d.session_id ?? d.id, 'end'), processed_at: d.ended_at ?? d.created_at };
  if (d.status === 'completed') return { ...base, type: 'session.status_idle', stop_reason: { type: 'end_turn' }, stop_details: null };
  return { ...base, type: 'session.status_terminated', dreamwork_event: { status: d.status, error: d.error } };
}
