/**
 * Preferences and facts stated by the user. Only clearly patterned sentences count ("always …",
 * "use X instead of Y", "the default branch is main") — the merger reads two findings with the
 * same key and different values as a contradiction, so a wrong subject does real harm: when in
 * doubt, no finding.
 */
import type { Session, SessionEvent } from '../../sessions/schema.ts';
import type { Finding } from '../findings.ts';
import { blocksText, quoteOf, shorten } from './text.ts';

export interface StatementContext {
  session: Session;
  sequence: number;
}

export interface Statement {
  kind: 'preference' | 'fact';
  subject: string;
  value: string;
  /** The sentence as written (a verbatim substring of the message). */
  sentence: string;
}

// Things people state preferences about, grouped so "use pnpm" and "use npm" share a subject.
const CATEGORIES: Record<string, string[]> = {
  // Split by ecosystem: "use pnpm" and "use uv" are about different things, not a contradiction.
  'js-package-manager': ['npm', 'pnpm', 'yarn', 'bun'],
  'python-package-manager': ['pip', 'pipenv', 'poetry', 'uv', 'conda'],
  'js-test-runner': ['jest', 'vitest', 'mocha', 'ava', 'jasmine'],
  'python-test-runner': ['pytest', 'unittest', 'nose'],
  formatter: ['prettier', 'black', 'biome', 'gofmt', 'rustfmt', 'autopep8', 'yapf'],
  linter: ['eslint', 'tslint', 'pylint', 'flake8', 'ruff', 'rubocop', 'golangci-lint'],
  indentation: ['tabs', 'spaces'],
  quotes: ['single quotes', 'double quotes'],
};

const STOP = new Set(['the', 'a', 'an', 'our', 'my', 'your', 'this', 'that', 'these', 'those', 'to', 'for', 'of', 'and', 'or', 'in', 'on', 'with', 'when', 'any', 'all', 'it', 'its', 'be']);

// Subjects of environment facts worth remembering; a sentence about anything else is not a fact.
const FACT_NOUNS = /\b(?:database|db|server|host|hostname|port|branch|config|configuration|repo|repository|registry|api|endpoint|url|cluster|bucket|region|environment|directory|folder|path|ci|node|python|java|go|ruby|rust|postgres|mysql|redis|version|staging|production|dev server|cache|queue|token file|log file|logs)\b/;
// A fact's value: one concrete token (a path, URL, host, version, identifier).
const VALUE = /^`?([\w./:@~+-]+)`?$/;

/** All statements in one user message, in order. */
export function statementsIn(text: string): Statement[] {
  const out: Statement[] = [];
  for (const sentence of sentences(text)) {
    const s = preferenceOf(sentence) ?? factOf(sentence);
    if (s) out.push(s);
  }
  return out;
}

function sentences(text: string): string[] {
  // Code blocks hold commands and output, not statements.
  const prose = text.replace(/```[\s\S]*?```/g, (m) => ' '.repeat(m.length));
  const out: string[] = [];
  for (const line of prose.split('\n')) {
    if (/^\s*</.test(line)) continue;
    for (const part of line.split(/(?<=[.!;])\s+/)) {
      const s = part.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim();
      if (s.length >= 6 && s.length <= 300 && !s.endsWith('?')) out.push(s);
    }
  }
  return out;
}

function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`'"]/g, '')
    .replace(/[.!;:,]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function subjectWords(text: string, max = 4): string {
  const words = norm(text)
    .split(/[^a-z0-9.+#-]+/)
    .filter((w) => w !== '' && !STOP.has(w));
  return words.slice(0, max).join('-');
}

function categoryOf(text: string): string | null {
  const t = ` ${norm(text)} `;
  for (const [category, names] of Object.entries(CATEGORIES)) {
    if (names.some((n) => t.includes(` ${n} `) || t.includes(` ${n},`))) return category;
  }
  return null;
}

function preferenceOf(sentence: string): Statement | null {
  const s = sentence.replace(/^(?:please|also|and|so),?\s+/i, '');
  let m = /^(?:(?:please|we|you should|i want you to)\s+)?use\s+(.+?)\s+instead of\s+(.+)$/i.exec(s);
  if (m) {
    const subject = categoryOf(`${m[1]} ${m[2]}`) ?? subjectWords(m[2]!);
    return pref(subject, `use ${norm(m[1]!)} instead of ${norm(m[2]!)}`, sentence);
  }
  m = /^(?:(?:we|you|i)\s+(?:should\s+)?)?(always|never|don't|do not|dont|stop|prefer)\s+(.+)$/i.exec(s);
  if (m) {
    const polarity = m[1]!.toLowerCase();
    const action = polarity === 'stop' ? m[2]!.replace(/^(\w+)ing\b/i, '$1') : m[2]!;
    if (polarity === 'stop' && action === m[2]) return null;
    const verb = polarity === 'prefer' ? 'prefer' : polarity === 'always' ? 'always' : 'never';
    const subject = categoryOf(action) ?? subjectWords(action);
    if (subject === '') return null;
    return pref(subject, `${verb} ${norm(action)}`, sentence);
  }
  m = /^(?:we use|use|we're using|we are using)\s+(.+)$/i.exec(s);
  if (m) {
    const category = categoryOf(m[1]!);
    // "use X" about an unknown thing is too vague to contradict anything: keep it only when
    // the object is short, like a tool name.
    const words = norm(m[1]!).split(' ');
    if (!category && words.length > 4) return null;
    return pref(category ?? subjectWords(m[1]!), `use ${norm(m[1]!)}`, sentence);
  }
  return null;
}

function pref(subject: string, value: string, sentence: string): Statement {
  return { kind: 'preference', subject, value, sentence };
}

// Trailing words that qualify a statement without being part of its value.
const QUALIFIER = /\s+(?:now|today|these days|from now on|for now|if you need it|by the way)$/i;

function factOf(sentence: string): Statement | null {
  // "We moved staging: the staging database is X now." → "the staging database is X"
  const s = sentence.replace(/^[^:]{1,40}:\s+(?=\S)/, '').replace(/[.!;,]+$/, '').replace(QUALIFIER, '');
  let m = /^(?:the\s+|our\s+)?([\w .-]{1,40}?)\s+version is\s+(.+)$/i.exec(s);
  if (m && VALUE.test(m[2]!.trim())) {
    return { kind: 'fact', subject: `${subjectWords(m[1]!, 3)}-version`, value: norm(m[2]!), sentence };
  }
  m = /^(?:the\s+|our\s+)?([\w .-]{2,40}?)\s+(?:is|are|lives|is located|runs|is running)\s+(?:at|in|on|under)\s+(.+)$/i.exec(s);
  if (m && FACT_NOUNS.test(m[1]!.toLowerCase()) && VALUE.test(m[2]!.trim())) {
    return { kind: 'fact', subject: `${subjectWords(m[1]!, 3)}-location`, value: norm(m[2]!), sentence };
  }
  m = /^(?:the\s+|our\s+)?([\w .-]{2,40}?)\s+is\s+(.+)$/i.exec(s);
  if (m && FACT_NOUNS.test(m[1]!.toLowerCase()) && VALUE.test(m[2]!.trim()) && !/^(?:not|a|an|the)$/i.test(m[2]!.trim())) {
    return { kind: 'fact', subject: subjectWords(m[1]!, 3), value: norm(m[2]!), sentence };
  }
  return null;
}

export function statementFindings(events: readonly SessionEvent[], ctx: StatementContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const ev of events) {
    if (ev.type !== 'user.message') continue;
    const text = blocksText(ev.content);
    // Tool results of text-only agents and long task statements are not the user speaking.
    if (/^\s*<returncode>/.test(text) || text.length > 4000) continue;
    for (const st of statementsIn(text)) {
      const key = `${st.kind === 'preference' ? 'pref' : 'fact'}:${st.subject}`.slice(0, 200);
      const id = `${key}\0${st.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const observedAt = ev.processed_at ?? ctx.session.started_at;
      findings.push({
        kind: st.kind,
        key,
        title: shorten(st.kind === 'preference' ? `Preference: ${st.value}` : `Fact: ${st.subject.replace(/-/g, ' ')} is ${st.value}`, 300),
        body: `The user said: ${shorten(st.sentence, 400)}`,
        value: st.value,
        observed_at: observedAt,
        sequence: ctx.sequence,
        evidence: [
          { session_id: ctx.session.id, event_id: ev.id, lines: ev.source_lines, quote: quoteOf(st.sentence), observed_at: observedAt },
        ],
        attributes: { subject: st.subject },
        confidence: st.kind === 'preference' ? 0.7 : 0.6,
      });
    }
  }
  return findings;
}
