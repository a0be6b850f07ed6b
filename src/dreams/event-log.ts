import { appendFile, readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { contentId } from '../core/ids.ts';
import { nowIso } from '../core/clock.ts';

/**
 * The dream's own session log: what it read, wrote and graded, one JSON event per line.
 * Append-only; a line torn by a kill is skipped on read.
 */
export interface DreamEvent {
  id: string;
  type: string;
  processed_at: string;
  [field: string]: unknown;
}

export class DreamEventLog {
  private seq = 0;
  constructor(
    private readonly file: string,
    private readonly sessionId: string,
  ) {}

  async init(): Promise<void> {
    this.seq = (await readDreamEvents(this.file)).length;
  }

  async append(type: string, fields: Record<string, unknown> = {}): Promise<DreamEvent> {
    const event: DreamEvent = {
      id: contentId('event', this.sessionId, String(this.seq++)),
      type,
      processed_at: nowIso(),
      ...fields,
    };
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, JSON.stringify(event) + '\n');
    return event;
  }
}

export async function readDreamEvents(file: string): Promise<DreamEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const events: DreamEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as DreamEvent);
    } catch {
      // A line torn by a crash mid-append: skip it, the rest of the log is intact.
    }
  }
  return events;
}
