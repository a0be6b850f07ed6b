/**
 * What differs between a failing run's log and a passing run's log, as masked templates present
 * in one and absent from the other, each with the first line that shows it (citable evidence).
 * Reads the two sessions' stored events; runs in a worker thread, one passing run and the
 * failing runs before it per task. Only the passing run's templates are held; each failing run
 * streams past them.
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

type EventRef = { id: string; processed_at: string | null };

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
  readonly eventRefs: EventRef[] = [];
  constructor(readonly sessionId: string) {}

  diffLine(template: string): DiffLine {
    const slot = this.slots.get(template)!;
    return diffLine(this.sessionId, template, this.lines[slot]!, this.texts[slot]!, this.eventRefs[this.events[slot]!]!);
  }
}

/** A template one log shows and the other lacks, cited at the line that shows it. */
function diffLine(sessionId: string, template: string, line: number, text: string, ev: EventRef): DiffLine {
  return { template, evidence: { session_id: sessionId, event_id: ev.id, lines: [line, line], quote: quoteOf(text), observed_at: ev.processed_at } };
}

/** What a terminal shows of a line; most lines carry neither ESC nor `\r`, so skip the regex and split. */
function visible(raw: string): string {
  return raw.includes('\x1b') || raw.includes('\r') ? visibleText(raw) : raw;
}

/**
 * A line's template, or NO_TEMPLATE for a line without words (separators, bare numbers say
 * nothing about what changed). Each line is masked as it comes: a memo of text → template
 * (about half the lines of a build log repeat) saved less than it cost, a map of hundreds of
 * thousands of strings that the garbage collector traced on every cycle, on both threads.
 */
const NO_TEMPLATE = '';

function templateOf(text: string, tokens: string[]): string {
  return hasLetters(text, 4) ? maskTokens(text, tokens).join(' ') : NO_TEMPLATE;
}

/**
 * Every worded line of a build log as its template, in order, with where it is. `visit` returns
 * false to stop early. The one loop both sides of a diff read a log with.
 */
async function eachTemplate(
  paths: RootPaths,
  sessionId: string,
  visit: (template: string, line: number, text: string, ev: EventRef) => boolean,
): Promise<void> {
  const tokens: string[] = [];
  for await (const ev of readEvents(paths, sessionId)) {
    if (ev.type !== 'log.lines' || !ev.source_lines) continue;
    const lines = ev.content.map((b) => b.text).join('\n').split('\n');
    const first = ev.source_lines[0];
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      const text = visible(raw.length > 4096 ? raw.slice(0, 4096) : raw).trim();
      const template = templateOf(text, tokens);
      if (template !== NO_TEMPLATE && !visit(template, first + i, text, ev)) return;
    }
  }
}

/** Masked templates of a build log, each with the first line that shows it. */
async function templatesOf(paths: RootPaths, sessionId: string): Promise<Templates> {
  const out = new Templates(sessionId);
  const { slots } = out;
  let lastEv: EventRef | null = null;
  await eachTemplate(paths, sessionId, (template, line, text, ev) => {
    if (slots.size >= MAX_TEMPLATES) return false;
    if (slots.has(template)) return true;
    if (ev !== lastEv) {
      out.eventRefs.push({ id: ev.id, processed_at: ev.processed_at });
      lastEv = ev;
    }
    slots.set(template, out.lines.length);
    out.lines.push(line);
    out.texts.push(text);
    out.events.push(out.eventRefs.length - 1);
    return true;
  });
  return out;
}

/**
 * A few sessions' templates, most recently used kept: a passing run is usually the first pass
 * after several failures, so pairs share sessions; the bound keeps a 2 GB log from being held twice.
 */
export class TemplateCache {
  private readonly entries = new Map<string, Templates>();
  constructor(
    readonly paths: RootPaths,
    private readonly size = 4,
  ) {}

  async get(sessionId: string): Promise<Templates> {
    let found = this.entries.get(sessionId);
    if (found) this.entries.delete(sessionId);
    else found = await templatesOf(this.paths, sessionId);
    this.entries.set(sessionId, found);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return found;
  }
}

/**
 * The passing run's templates are built once (and cached: several failing runs are usually
 * diffed against one pass); each failing run is streamed against them, never held: its lines
 * either mark a pass template as shared or, the first few times, are a template only it shows.
 */
export async function diffRuns(cache: TemplateCache, failId: string, passId: string): Promise<TemplateDiff> {
  const pass = await cache.get(passId);
  const shared = new Uint8Array(pass.lines.length);
  const onlyInFail: DiffLine[] = [];
  const reported = new Set<string>();
  await eachTemplate(cache.paths, failId, (template, line, text, ev) => {
    const slot = pass.slots.get(template);
    if (slot !== undefined) shared[slot] = 1;
    else if (onlyInFail.length < MAX_DIFF_LINES && !reported.has(template)) {
      reported.add(template);
      onlyInFail.push(diffLine(failId, template, line, text, ev));
    }
    return true;
  });
  const onlyInPass: DiffLine[] = [];
  for (const [template, slot] of pass.slots) {
    if (onlyInPass.length >= MAX_DIFF_LINES) break;
    if (shared[slot] === 0) onlyInPass.push(pass.diffLine(template));
  }
  return { onlyInFail, onlyInPass };
}
