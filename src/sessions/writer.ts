import type { FileHandle } from 'node:fs/promises';
import { contentId } from '../core/ids.ts';
import { giveIoBuffer, takeIoBuffer, writeAll } from '../core/io-buffers.ts';
import type { DraftEvent } from './events.ts';
import { headOf } from './long-lines.ts';
import { redactSecrets } from './redact.ts';
import { SessionEvent } from './schema.ts';

/**
 * Appends normalized events to events.jsonl: assigns each its content-derived id, redacts secrets
 * in every string a person or model will read, validates against the shared schema, and buffers
 * writes so a big log is not a million tiny syscalls. Keeps the counts the session record needs.
 *
 * Each line is encoded straight into a reused buffer (core/io-buffers.ts): joining lines into
 * a megabyte string and writing that made a fresh large string and a fresh encode buffer of up
 * to 3 MB per flush, page-faulted in and unmapped again every time. Two buffers take turns, so
 * parsing goes on while the last megabyte is being written.
 */
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
  /** The buffer being filled, and the one being written (or free). */
  private out: Buffer | null = null;
  private spare: Buffer | null = null;
  private used = 0;
  private writing: Promise<void> | null = null;
  private failed: unknown = null;

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
    await this.append(JSON.stringify(event));
  }

  /** Starts writing what is buffered (after the write before it) and fills the other buffer meanwhile. */
  private async flush(): Promise<void> {
    await this.landed();
    if (this.used === 0 || this.out === null) return;
    const full = this.out;
    const length = this.used;
    this.out = this.spare ?? takeIoBuffer();
    this.spare = full;
    this.used = 0;
    this.writing = writeAll(this.fh, full, length).catch((e: unknown) => {
      this.failed = e;
    });
  }

  /** Waits for the write under way; a failed write fails whoever waits next. */
  private async landed(): Promise<void> {
    await this.writing;
    this.writing = null;
    if (this.failed !== null) throw this.failed;
  }

  /** Writes out everything and hands the buffers back for the thread's next writer. */
  async finish(): Promise<void> {
    await this.flush();
    await this.landed();
    for (const b of [this.out, this.spare]) if (b) giveIoBuffer(b);
    this.out = this.spare = null;
  }

  private async append(json: string): Promise<void> {
    this.out ??= takeIoBuffer();
    // Room for the worst case (3 UTF-8 bytes per UTF-16 unit, and the newline), else flush first.
    const worst = json.length * 3 + 1;
    if (this.used + worst > this.out.length) await this.flush();
    if (worst > this.out.length) {
      // A line bigger than the buffer (a huge tool result) goes as it is, after what came before.
      await this.landed();
      await this.fh.write(`${json}\n`);
      return;
    }
    this.used += this.out.write(json, this.used);
    this.out[this.used++] = 10;
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
