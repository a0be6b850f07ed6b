/**
 * What a Watcher reports, one discriminated union: the CLI prints each as a JSON line (--json)
 * or a progress line, the server can stream them. `at` is the wall-clock time of the event.
 */
export type DreamTrigger = 'count' | 'timer' | 'resume';

export type WatchEvent = { at: string } & (
  | { type: 'ready'; name: string; dirs: string[]; store_id: string; pending: number }
  | { type: 'imported'; path: string; session_id: string; status: 'imported' | 'existing'; pending: number }
  | { type: 'refused'; path: string; reason: string }
  | {
      type: 'dream_started';
      dream_id: string;
      store_id: string;
      session_ids: string[];
      trigger: DreamTrigger;
    }
  | {
      type: 'dream_finished';
      dream_id: string;
      status: string;
      store_id: string;
      output_store_id: string | null;
      error: { type: string; message: string } | null;
      pending: number;
    }
  | { type: 'waiting'; store_id: string; reason: string; retry_ms: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'stopped'; pending: number; in_flight: string | null }
);

export type WatchEventType = WatchEvent['type'];

/** Distributes an event type over the union, so `{ type: 'imported', … }` is checked field by field. */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type WatchEventBody = Without<WatchEvent, 'at'>;
