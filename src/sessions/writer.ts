import type { FileHandle } from 'node:fs/promises';
import { contentId } from '../core/ids.ts';
import type { DraftEvent } from './events.ts';
import { headOf } from './long-lines.ts';
import { redactSecrets } from './redact.ts';
import { SessionEvent } from './schema.ts';

/**
 * Appends normalized events to events.jsonl: assigns each its content-derived id, redacts secrets
 * in every string a person or model will read, validates against the shared schema, and buffers
 * writes so a big log is not a million tiny syscalls. Keeps the counts the session record needs.
 */
const FLUSH_CHARS = 1 << 20;
/**
 * A transcript's text block (a tool result that dumped a whole bundle) is cut past this, with a
 * note; log lines are cut earlier, by the line reader. The original bytes are kept either way.
 */
export const MAX_BLOCK_CHARS = 1 << 20;
const SECRET_FIELD =
  /(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)$/i;

export class EventWriter {
  count = 0;
  redactions = 0;
  hasTools = false;
  firstTime: string | null = null;
  lastTime: string | null = null;
  private buffer: string[] = [];
  private buffered = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly sessionId: string,
  ) {}

  /** `preRedacted`: the text log parser redacts line by line itself (PEM blocks span chunks). */
  async add(draft: DraftEvent, preRedacted = false): Promise<void> {
    const id = contentId('event', this.sessionId, String(this.count));
    const event = SessionEvent.parse({ ...(preRedacted ? draft : this.redact(draft)), id });
    this.count++;
    if (event.type === 'agent.tool_use' || event.type === 'agent.tool_result') this.hasTools = true;
    if (event.processed_at !== null) {
      this.firstTime ??= event.processed_at;
      this.lastTime = event.processed_at;
    }
    const line = JSON.stringify(event) + '\n';
    this.buffer.push(line);
    this.buffered += line.length;
    if (this.buffered >= FLUSH_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const data = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    await this.fh.write(data);
  }

  redactText(t: string): string {
    const r = redactSecrets(t);
    this.redactions += r.count;
    return r.text;
  }

  private redact(draft: DraftEvent): DraftEvent {
    if (draft.type === 'agent.tool_use')
      return { ...draft, input: this.redactValue(draft.input) as Record<string, unknown> };
    return {
      ...draft,
      content: draft.content.map((b) => ({ type: 'text' as const, text: this.redactText(capBlock(b.text)) })),
    };
  }

  private redactValue(v: unknown): unknown {
    if (typeof v === 'string') return this.redactText(v);
    if (Array.isArray(v)) return v.map((x) => this.redactValue(x));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        // `{"password": "hunter22"}`: the key says it is a secret even when the value alone does not.
        if (typeof x === 'string' && x.length >= 6 && SECRET_FIELD.test(k) && !x.startsWith('[REDACTED')) {
          this.redactions++;
          out[k] = '[REDACTED:secret]';
        } else out[k] = this.redactValue(x);
      }
      return out;
    }
    return v;
  }
}

function capBlock(text: string): string {
  if (text.length <= MAX_BLOCK_CHARS) return text;
  return `${headOf(text, MAX_BLOCK_CHARS)} … [text truncated: ${Buffer.byteLength(text).toLocaleString('en-US')} bytes]`;
}
