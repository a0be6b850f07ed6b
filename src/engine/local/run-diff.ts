/**
 * What differs between a failing run's log and a passing run's log, as masked templates present
 * in one and absent from the other, each with the first line that shows it (citable evidence).
 * Reads the two sessions' stored events; runs in a worker thread, one pair per task.
 */
import type { RootPaths } from '../../core/root.ts';
import { visibleText } from '../../core/lines.ts';
import { readEvents } from '../../sessions/store.ts';
import type { DiffLine, TemplateDiff } from './cross-run.ts';
import { maskTokens } from './templates/mask-tokens.ts';
import { quoteOf } from './text.ts';

// Bounds for diffing two logs: enough for real CI logs, safe for a 2 GB one.
const MAX_TEMPLATES = 200_000;
const MAX_DIFF_LINES = 5;

/** At least `n` ASCII letters; counts and stops, since a match array per line of a big log is costly. */
function hasLetters(text: string, n: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a && --n === 0) return true;
  }
  return false;
}

/**
 * A build log's masked templates, each with where it first shows. Only a handful end up in a
 * diff, so evidence objects are built for those alone: per template we keep a slot number into
 * flat arrays (line number, event, visible text) instead of an object, which on a log with
 * hundreds of thousands of distinct templates is most of what the garbage collector had to trace.
 */
class Templates {
  readonly slots = new Map<string, number>();
  readonly lines: number[] = [];
  readonly texts: string[] = [];
  readonly events: number[] = [];
  readonly eventRefs: { id: string; processed_at: string | null }[] = [];
  constructor(readonly sessionId: string) {}

  diffLine(template: string): DiffLine {
    const slot = this.slots.get(template)!;
    const n = this.lines[slot]!;
    const ev = this.eventRefs[this.events[slot]!]!;
    const evidence = { session_id: this.sessionId, event_id: ev.id, lines: [n, n] as [number, number], quote: quoteOf(this.texts[slot]!), observed_at: ev.processed_at };
    return { template, evidence };
  }
}

/** What a terminal shows of a line; most lines carry neither ESC nor `\r`, so skip the regex and split. */
function visible(raw: string): string {
  return raw.includes('\x1b') || raw.includes('\r') ? visibleText(raw) : raw;
}

/**
 * Line text → its template (NO_TEMPLATE for a line without words), shared by the logs one task
 * reads. Masking is most of what templating a log costs, and about half the lines of a build
 * log repeat a line already seen, in the same log (progress, test banners) or in the other runs
 * of the same job: the same text always masks to the same template, so each is masked once.
 * Cleared when full, which only costs re-masking.
 */
const NO_TEMPLATE = '';
const MAX_MEMO = 250_000;

class TemplateMemo {
  private readonly map = new Map<string, string>();
  private readonly tokens: string[] = [];

  templateOf(text: string): string {
    let template = this.map.get(text);
    if (template !== undefined) return template;
    // Lines without words (separators, bare numbers) say nothing about what changed.
    template = hasLetters(text, 4) ? maskTokens(text, this.tokens).join(' ') : NO_TEMPLATE;
    if (this.map.size >= MAX_MEMO) this.map.clear();
    this.map.set(text, template);
    return template;
  }
}

/** Masked templates of a build log, each with the first line that shows it. */
async function templatesOf(paths: RootPaths, sessionId: string, memo: TemplateMemo): Promise<Templates> {
  const out = new Templates(sessionId);
  const { slots } = out;
  for await (const ev of readEvents(paths, sessionId)) {
    if (ev.type !== 'log.lines' || !ev.source_lines) continue;
    const lines = ev.content.map((b) => b.text).join('\n').split('\n');
    let eventIndex = -1;
    for (let i = 0; i < lines.length; i++) {
      if (slots.size >= MAX_TEMPLATES) return out;
      const raw = lines[i]!;
      const text = visible(raw.length > 4096 ? raw.slice(0, 4096) : raw).trim();
      const template = memo.templateOf(text);
      if (template === NO_TEMPLATE || slots.has(template)) continue;
      if (eventIndex < 0) eventIndex = out.eventRefs.push({ id: ev.id, processed_at: ev.processed_at }) - 1;
      slots.set(template, out.lines.length);
      out.lines.push(ev.source_lines[0] + i);
      out.texts.push(text);
      out.events.push(eventIndex);
    }
  }
  return out;
}

/**
 * A few sessions' templates, most recently used kept: a passing run is usually the first pass
 * after several failures, so pairs share sessions; the bound keeps a 2 GB log from being held twice.
 */
export class TemplateCache {
  private readonly entries = new Map<string, Templates>();
  private readonly memo = new TemplateMemo();
  constructor(
    private readonly paths: RootPaths,
    private readonly size = 4,
  ) {}

  async get(sessionId: string): Promise<Templates> {
    let found = this.entries.get(sessionId);
    if (found) this.entries.delete(sessionId);
    else found = await templatesOf(this.paths, sessionId, this.memo);
    this.entries.set(sessionId, found);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return found;
  }
}

export async function diffRuns(cache: TemplateCache, failId: string, passId: string): Promise<TemplateDiff> {
  const fail = await cache.get(failId);
  const pass = await cache.get(passId);
  // The first few templates, in order of first appearance, that the other log lacks.
  const only = (a: Templates, b: Templates): DiffLine[] => {
    const out: DiffLine[] = [];
    for (const template of a.slots.keys()) {
      if (out.length >= MAX_DIFF_LINES) break;
      if (!b.slots.has(template)) out.push(a.diffLine(template));
    }
    return out;
  };
  return { onlyInFail: only(fail, pass), onlyInPass: only(pass, fail) };
}

