/**
 * Preferences and facts stated by the user. Only clearly patterned clauses count ("always …",
 * "use X instead of Y", "the default branch is main", "we moved the staging DB to X") — the merger
 * reads two findings with the same key and different values as a contradiction, so a wrong subject
 * or a sloppy value does real harm: when in doubt, no finding.
 *
 *   user message ─► clauses (questions, hypotheticals, code dropped) ─► preferenceOf | factOf
 *                                                                       └─► subject (subjects.ts) + canonical value
 *
 * Values are canonical so the same value restated differently is not a change: a tool choice is
 * the tool's name ("use pnpm, not npm" and "we use pnpm" are both "pnpm"), a version drops its "v".
 */
import type { Session, SessionEvent } from '../../sessions/schema.ts';
import type { Finding } from '../findings.ts';
import { hasSpeakerName } from './conversation.ts';
import { actionSubject, contentWords, factSubject, isVersion, toolIn } from './subjects.ts';
import { blocksText, quoteOf, shorten } from './text.ts';

export interface StatementContext {
  session: Session;
  sequence: number;
}

export interface Statement {
  kind: 'preference' | 'fact';
  subject: string;
  value: string;
  /** The clause as written (a verbatim substring of the message). */
  sentence: string;
}

/** All statements in one user message, in order. */
export function statementsIn(text: string): Statement[] {
  const out: Statement[] = [];
  for (const clause of clauses(text)) {
    if (NOT_ASSERTED.test(stripOpeners(clause))) continue;
    const s = preferenceOf(clause) ?? factOf(clause);
    if (s) out.push(s);
  }
  return out;
}

// A question or a hypothetical states nothing: "should we use bun?", "if we ever used yarn, …".
const NOT_ASSERTED = /^(?:if|suppose|supposing|imagine|assuming|maybe|perhaps|what if|in case|should|shall|would|could|can|do|does|did|is|are|was|were|what|how|why|which|who|when|where|whether)\b/i;

/** Clauses of the message's prose, verbatim, each one possible statement. */
export function clauses(text: string): string[] {
  // Code blocks hold commands and output, not statements.
  const prose = text.replace(/```[\s\S]*?```/g, (m) => ' '.repeat(m.length));
  const out: string[] = [];
  for (const line of prose.split('\n')) {
    if (/^\s*</.test(line)) continue;
    for (const sentence of line.split(/(?<=[.!?;])\s+/)) {
      if (/\?\s*$/.test(sentence)) continue;
      // "… is master, and the staging database is X" holds two statements; so does an em dash.
      for (const part of sentence.split(/\s+[—–]\s+|;\s+|,?\s+(?:and|but|so)\s+(?=(?:the|our|we|i|you|use|please|always|never|don't)\b)/i)) {
        const s = part.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim();
        if (s.length >= 6 && s.length <= 300) out.push(s);
      }
    }
  }
  return out;
}

// Discourse openers and corrections that carry no content: "No, use pnpm", "Actually, the port is …".
const OPENER = /^(?:no|nope|actually|correction|sorry|wait|ok|okay|so|also|and|but|btw|by the way|fyi|heads up|note|update|please|yes|agreed|good|great|thanks|reminder|for reference|just so you know)\b[,:!.]?\s+/i;

function stripOpeners(clause: string): string {
  let s = clause.replace(/[.!;,]+$/, '').trim();
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(OPENER, '');
  }
  return s;
}

function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`'"]/g, '')
    .replace(/[.!;:,]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// Words after a preference that qualify it without being part of it.
const PREF_TAIL = /(?:\s*,.*|\s+(?:from now on|for now|anymore|any more|again|now|today|please|these days|going forward)\b.*)$/i;

function prefAction(text: string): string {
  return text.replace(PREF_TAIL, '').trim();
}

function preferenceOf(clause: string): Statement | null {
  const s = stripOpeners(clause);
  // "use X instead of Y", "use X, not Y", "use X rather than Y"
  let m = /^(?:(?:we|you|i)\s+(?:should\s+|will\s+|now\s+)?|let'?s\s+|i want you to\s+)?use\s+(.+?)(?:\s+instead of|,?\s+rather than|,\s+not)\s+(.+)$/i.exec(s);
  if (m) {
    const chosen = toolIn(m[1]!);
    if (chosen) return pref(chosen.category, chosen.tool, clause);
    const other = prefAction(m[2]!);
    const subject = actionSubject(other);
    return subject === '' ? null : pref(subject, `use ${norm(m[1]!)} instead of ${norm(other)}`, clause);
  }
  // "we switched to vitest", "we've moved to biome"
  m = /^(?:we|i)\s+(?:have\s+|'ve\s+|just\s+)?(?:switched|moved|migrated|changed)\s+to\s+(.+)$/i.exec(s);
  if (m) {
    const chosen = toolIn(m[1]!.split(/\s+/).slice(0, 2).join(' '));
    return chosen ? pref(chosen.category, chosen.tool, clause) : null;
  }
  m = /^(?:(?:we|you|i)\s+(?:should\s+)?)?(always|never|don't|do not|dont|stop|prefer)\s+(.+)$/i.exec(s);
  if (m) {
    const polarity = m[1]!.toLowerCase();
    let action = prefAction(m[2]!);
    if (polarity === 'stop') {
      const base = unGerund(action);
      if (base === null) return null;
      action = base;
    }
    const positive = polarity === 'always' || polarity === 'prefer';
    const tool = toolIn(action);
    // "always use pnpm" / "prefer vitest" choose a tool; "never use prettier" only rules one out.
    if (tool && positive && /^(?:use|using|run|running)\b/i.test(action)) return pref(tool.category, tool.tool, clause);
    if (tool && polarity === 'prefer') return pref(tool.category, tool.tool, clause);
    if (tool && !positive && /^(?:use|using)\s+\S+$/i.test(action)) return pref(`avoid-${tool.tool.replace(/\s+/g, '-')}`, `never use ${tool.tool}`, clause);
    const words = contentWords(action);
    // "don't change anything" names no habit to remember.
    if (words.length < 2 || words.every((w) => /^(?:anything|everything|something|it|that|this|them|so|yet)$/.test(w))) return null;
    if (tool && positive) return pref(tool.category, tool.tool, clause);
    return pref(actionSubject(action), `${positive ? (polarity === 'prefer' ? 'prefer' : 'always') : 'never'} ${norm(action)}`, clause);
  }
  m = /^(?:we use|use|we're using|we are using|we now use)\s+(.+)$/i.exec(s);
  if (m) {
    const tool = toolIn(prefAction(m[1]!));
    if (tool) return pref(tool.category, tool.tool, clause);
    // "use X" about an unknown thing is too vague to contradict anything: keep it only when
    // the object is short, like a tool name.
    const action = prefAction(m[1]!);
    const words = norm(action).split(' ');
    if (words.length > 3 || actionSubject(action) === '') return null;
    return pref(actionSubject(action), `use ${norm(action)}`, clause);
  }
  return null;
}

// Verbs whose base form ends in a silent "e" ("using" → "use"), the rest just drop "ing".
const E_VERB = /(?:us|mak|writ|chang|merg|creat|delet|updat|generat|clos|leav|tak|remov|sav|mov|pars|compil|escap|rebas|configur|ignor|wrap)$/i;

/** "running the linter" → "run the linter"; null when the clause does not start with a gerund. */
function unGerund(action: string): string | null {
  const m = /^(\w{2,}?)ing\b(.*)$/i.exec(action);
  if (!m) return null;
  let stem = m[1]!;
  if (stem.length >= 4 && /[aeiou]([bdgmnprt])\1$/i.test(stem)) stem = stem.slice(0, -1);
  else if (E_VERB.test(stem)) stem += 'e';
  return `${stem}${m[2]}`;
}

function pref(subject: string, value: string, sentence: string): Statement {
  return { kind: 'preference', subject, value, sentence };
}

// A fact's value: one concrete token (a path, URL, host, version, identifier, channel).
const VALUE_TOKEN = /^`?([\w./:@~+#%-]*[\w/#%])`?(.*)$/;
// What may follow the value: nothing, a qualifier, or the start of another clause.
const VALUE_TAIL = /^(?:(?:now|today|still|currently|again|these days|from now on|for now|by the way)\b\s*)*(?:$|[,;(]|[—–-]\s|(?:if|since|after|before|because|for|on|in|so|but|and|as|when|until|with|which|that|at|by)\b)/i;

/** The single-token value at the start of `rest`, canonical, or null. */
function leadingValue(rest: string): string | null {
  const r = rest.replace(/^(?:still|now|currently|actually)\s+/i, '').trim();
  const m = VALUE_TOKEN.exec(r);
  if (!m || !VALUE_TAIL.test(m[2]!.trim())) return null;
  const v = m[1]!.replace(/[.:]+$/, '');
  if (v === '' || /^(?:not|a|an|the|it|there|here|done|fine|broken|down|up|deprecated|ready)$/i.test(v)) return null;
  return isVersion(v) ? v.replace(/^v/i, '') : v.toLowerCase() === v ? v : norm(v);
}

function fact(subject: string | null, value: string | null, sentence: string): Statement | null {
  return subject && value ? { kind: 'fact', subject, value, sentence } : null;
}

function factOf(clause: string): Statement | null {
  // "We moved staging: the staging database is X now." → "the staging database is X now"
  const s = stripOpeners(clause).replace(/^[^:]{1,60}:\s+(?=\S)/, '');
  let m = /^(?:the\s+|our\s+)?([\w .-]{1,40}?)\s+version\s+is\s+(.+)$/i.exec(s);
  if (m) {
    const value = leadingValue(m[2]!);
    return fact(value && factSubject(`${m[1]} version`, value), value, clause);
  }
  // "we moved the staging database to X", "we bumped Node to 20.12.2"
  m = /^(?:we|i|they)\s+(?:have\s+|'ve\s+|just\s+)?(?:moved|migrated|switched|changed|bumped|upgraded|updated|renamed|pointed)\s+(?:the\s+|our\s+)?([\w .-]{2,40}?)\s+to\s+(.+)$/i.exec(s);
  if (m) {
    const value = leadingValue(m[2]!);
    return fact(value && factSubject(m[1]!, value), value, clause);
  }
  m = /^(?:the\s+|our\s+)?([\w .-]{2,40}?)\s+(?:is|are|lives|is located|is hosted|runs|is running|sits)(?:\s+(?:at|in|on|under))?\s+(.+)$/i.exec(s);
  if (m) {
    const value = leadingValue(m[2]!);
    return fact(value && factSubject(m[1]!, value), value, clause);
  }
  return null;
}

function titleOf(st: Statement): string {
  const subject = st.subject.replace(/-/g, ' ');
  if (st.kind === 'fact') return `Fact: ${subject} is ${st.value}`;
  return st.value.includes(' ') && !/ quotes$/.test(st.value) ? `Preference: ${st.value}` : `Preference: use ${st.value} (${subject})`;
}

export function statementFindings(events: readonly SessionEvent[], ctx: StatementContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const ev of events) {
    if (ev.type !== 'user.message') continue;
    const text = blocksText(ev.content);
    // Tool results of text-only agents and long task statements are not the user speaking.
    if (/^\s*<returncode>/.test(text) || text.length > 4000) continue;
    // "Name: …" messages are people talking to each other in a multi-party chat, not instructions
    // to the agent: "never give up" there is encouragement, not a preference.
    if (hasSpeakerName(text)) continue;
    for (const st of statementsIn(text)) {
      const key = `${st.kind === 'preference' ? 'pref' : 'fact'}:${st.subject}`.slice(0, 200);
      const id = `${key}\0${st.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const observedAt = ev.processed_at ?? ctx.session.started_at;
      findings.push({
        kind: st.kind,
        key,
        title: shorten(titleOf(st), 300),
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
