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

/** Masked templates of a build log, each with the first line that shows it. */
async function templatesOf(paths: RootPaths, sessionId: string): Promise<Map<string, DiffLine>> {
  const out = new Map<string, DiffLine>();
  const tokens: string[] = [];
  for await (const ev of readEvents(paths, sessionId)) {
    if (ev.type !== 'log.lines' || !ev.source_lines) continue;
    const lines = ev.content.map((b) => b.text).join('\n').split('\n');
    for (const [i, raw] of lines.entries()) {
      if (out.size >= MAX_TEMPLATES) return out;
      const text = visibleText(raw.length > 4096 ? raw.slice(0, 4096) : raw).trim();
      // Lines without words (separators, bare numbers) say nothing about what changed.
      if (!hasLetters(text, 4)) continue;
      const template = maskTokens(text, tokens).join(' ');
      if (out.has(template)) continue;
      const n = ev.source_lines[0] + i;
      out.set(template, {
        template,
        evidence: { session_id: sessionId, event_id: ev.id, lines: [n, n], quote: quoteOf(text), observed_at: ev.processed_at },
      });
    }
  }
  return out;
}

/**
 * A few sessions' templates, most recently used kept: a passing run is usually the first pass
 * after several failures, so pairs share sessions; the bound keeps a 2 GB log from being held twice.
 */
export class TemplateCache {
  private readonly entries = new Map<string, Map<string, DiffLine>>();
  constructor(
    private readonly paths: RootPaths,
    private readonly size = 4,
  ) {}

  async get(sessionId: string): Promise<Map<string, DiffLine>> {
    let found = this.entries.get(sessionId);
    if (found) this.entries.delete(sessionId);
    else found = await templatesOf(this.paths, sessionId);
    this.entries.set(sessionId, found);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return found;
  }
}

export async function diffRuns(cache: TemplateCache, failId: string, passId: string): Promise<TemplateDiff> {
  const fail = await cache.get(failId);
  const pass = await cache.get(passId);
  const only = (a: Map<string, DiffLine>, b: Map<string, DiffLine>) =>
    [...a.values()].filter((d) => !b.has(d.template)).slice(0, MAX_DIFF_LINES);
  return { onlyInFail: only(fail, pass), onlyInPass: only(pass, fail) };
}

