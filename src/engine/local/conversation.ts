/**
 * Conversation memories: what people said about their lives and plans in casual conversation
 * (events, dates, names, places, likes, plans), kept compactly with a pointer to each turn.
 *
 *   message events ─► speaker ("Name: …" prefix, else the role) ─► sentences
 *        ─► salience (names, numbers, dates, first-person events, likes, plans; no questions, no small talk)
 *        ─► best sentences within a byte budget, filler dropped, relative dates resolved ("yesterday" → 7 May 2023)
 *        ─► one journal finding per month: a dated section of items by speaker, each citing its line
 *
 * Journal findings (attribute `journal`) of the same people and month, from different sessions,
 * are accumulated by the merger section by section instead of replaced by the latest one.
 */
import type { Session, SessionEvent } from '../../sessions/schema.ts';
import type { Evidence, Finding } from '../findings.ts';
import { blocksText, shortHash } from './text.ts';

export interface ConversationContext {
  session: Session;
  sequence: number;
}

/** Share of a session's message bytes the kept items may take: the store must stay small. */
export const ITEM_BUDGET = 0.12;
const MIN_SCORE = 3;
// A short chat still keeps its one or two facts.
const MIN_BUDGET = 240;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const STOP = new Set(
  (
    'a an the of to in on at for and or is are was were be been did do does what when where who whom which how why with by from as that this it its ' +
    'his her their they he she i you we my your our me him them has have had will would can could should about into than then there here not no yes ' +
    "so just really too very also but if i'm it's that's you're i've i'll don't can't oh wow yeah hey hi thanks thank lol haha"
  ).split(' '),
);
const SMALL_TALK =
  /^(?:hey|hi|hello|wow|thanks|thank you|yeah|yes|no|oh|aw+|omg|haha|lol|cool|great|awesome|amazing|nice|sure|bye|take care|sounds|that's|that sounds|glad|good luck|congrats|congratulations)\b/i;
const EVENT_WORDS =
  /\b(?:went|go(?:ing)?|visited|started|joined|bought|got|made|took|finished|won|lost|moved|adopted|painted|read|wrote|ran|signed|opened|launched|met|attended|graduated|travel(?:ed|led)?|trip|married|born|birthday|hired|quit|plan(?:ning)?|will|gonna|decided|learned|tried|love[sd]?|favorite|favourite|enjoy(?:ed|s)?|passionate|hobby|family|kids?|friends?|job|work(?:ed|ing)?|career|class|course|project|book|song|concert|festival|camping|hiking|recently|yesterday|tomorrow|last|next|ago|weekend|week|month|year)\b/i;

interface Item {
  line: number | null;
  eventId: string;
  at: string | null;
  text: string;
  quote: string;
  score: number;
  order: number;
}

/** "1:56 pm on 8 May, 2023" style dates are normalized by ingest; here only ISO times matter. */
function dayOf(iso: string | null): Date | null {
  if (iso === null) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

function fmtDay(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

/** Absolute dates for the relative ones in a sentence, appended so a later reader needs no context. */
export function resolveDates(text: string, when: Date | null): string {
  if (when === null) return text;
  const notes: string[] = [];
  const t = text.toLowerCase();
  if (/\byesterday\b/.test(t)) notes.push(fmtDay(addDays(when, -1)));
  if (/\btoday\b|\btonight\b|\bthis morning\b/.test(t)) notes.push(fmtDay(when));
  if (/\btomorrow\b/.test(t)) notes.push(fmtDay(addDays(when, 1)));
  if (/\blast week\b/.test(t)) notes.push(`week of ${fmtDay(addDays(when, -7))}`);
  if (/\bnext week\b/.test(t)) notes.push(`week of ${fmtDay(addDays(when, 7))}`);
  if (/\blast weekend\b/.test(t)) notes.push(`weekend before ${fmtDay(when)}`);
  const m = new Date(Date.UTC(when.getUTCFullYear(), when.getUTCMonth(), 1));
  if (/\blast month\b/.test(t))
    notes.push(
      `${MONTHS[(m.getUTCMonth() + 11) % 12]} ${m.getUTCMonth() === 0 ? m.getUTCFullYear() - 1 : m.getUTCFullYear()}`,
    );
  if (/\bnext month\b/.test(t))
    notes.push(
      `${MONTHS[(m.getUTCMonth() + 1) % 12]} ${m.getUTCMonth() === 11 ? m.getUTCFullYear() + 1 : m.getUTCFullYear()}`,
    );
  if (/\bthis month\b/.test(t)) notes.push(`${MONTHS[m.getUTCMonth()]} ${m.getUTCFullYear()}`);
  if (/\blast year\b/.test(t)) notes.push(String(when.getUTCFullYear() - 1));
  if (/\bnext year\b/.test(t)) notes.push(String(when.getUTCFullYear() + 1));
  const ago = /\b(\d+|a|one|two|three|four|five|six)\s+(day|week|month|year)s?\s+ago\b/.exec(t);
  if (ago) {
    const n = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 }[ago[1]!] ?? Number(ago[1]);
    const days = { day: 1, week: 7, month: 30, year: 365 }[ago[2] as 'day'] * n;
    notes.push(
      ago[2] === 'year' ? String(when.getUTCFullYear() - n) : `about ${fmtDay(addDays(when, -days))}`,
    );
  }
  const wd = /\blast (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(t);
  if (wd) {
    const back = (when.getUTCDay() - WEEKDAYS.indexOf(wd[1]!) + 7) % 7 || 7;
    notes.push(fmtDay(addDays(when, -back)));
  }
  return notes.length > 0 ? `${text} (${notes.join('; ')})` : text;
}

function contentTokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9']+/g) ?? []).filter((w) => !STOP.has(w) && w.length > 1);
}

/** How much specific, rememberable content a sentence holds. */
export function salience(sentence: string): number {
  if (/\?\s*$/.test(sentence)) return 0;
  const words = sentence.split(/\s+/);
  const content = contentTokens(sentence);
  if (content.length < 3) return 0;
  let score = Math.min(content.length, 8) / 2;
  // Capitalized words not at the sentence start: names, places, titles.
  score += 1.5 * words.slice(1).filter((w) => /^[A-Z][a-z]/.test(w) && !/^I'/.test(w)).length;
  score += 1.5 * (sentence.match(/\b\d[\d,.:]*\b/g) ?? []).length;
  if (/\b(?:I|we|my|our)\b/.test(sentence) && EVENT_WORDS.test(sentence)) score += 2;
  if (SMALL_TALK.test(sentence) && content.length < 6) score -= 3;
  return score;
}

// Filler that costs bytes and carries nothing: interjections and intensifiers.
const LEADING_FILLER =
  /^(?:(?:hey|hi|wow|oh|yeah|yes|aw+|omg|haha|lol|thanks|thank you|so|well|ah|btw|honestly|totally|by the way)[,!.]*\s+(?:[A-Z][a-z]+[,!.]\s+)?)+/i;
const INNER_FILLER =
  /\b(?:really|so|just|totally|super|pretty|actually|definitely|literally|kind of|sort of|very)\s+/gi;

export function compress(sentence: string): string {
  return sentence
    .replace(LEADING_FILLER, '')
    .replace(INNER_FILLER, '')
    .replace(/\s+/g, ' ')
    .replace(/^./, (c) => c.toUpperCase())
    .trim();
}

function sentencesOf(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=[A-Z"'[(])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// Labels that open a message the way a name would: "Correction: …", "Heads up: …".
const NOT_A_NAME = /^(?:correction|note|update|edit|context|important|reminder|heads up|fyi|ps|also|actually|re|question|answer|todo|warning|error|summary|task|goal|problem|fix|issue|bug|hint|tip|step \d+|user|assistant|human|system)$/i;

/** Whether a message opens with a speaker's name ("Ana: …"): a chat between people. */
export function hasSpeakerName(text: string): boolean {
  const m = /^([A-Z][\w.'-]{0,30}(?: [A-Z][\w.'-]{0,30})?):\s/.exec(text);
  return m !== null && !NOT_A_NAME.test(m[1]!);
}

/** Who speaks in a message: a leading "Name:" (chat exports, multi-party logs), else the role. */
export function speakerOf(ev: SessionEvent, text: string): { speaker: string; body: string } {
  const m = /^([A-Z][\w.'-]{0,30}(?: [A-Z][\w.'-]{0,30})?):\s+([\s\S]*)$/.exec(text);
  if (m && !NOT_A_NAME.test(m[1]!)) return { speaker: m[1]!, body: m[2]! };
  return { speaker: ev.type === 'user.message' ? 'User' : 'Assistant', body: text };
}

export function conversationFindings(events: readonly SessionEvent[], ctx: ConversationContext): Finding[] {
  const bySpeaker = new Map<string, Item[]>();
  let totalBytes = 0;
  let order = 0;
  for (const ev of events) {
    if (ev.type !== 'user.message' && ev.type !== 'agent.message') continue;
    const text = blocksText(ev.content);
    totalBytes += Buffer.byteLength(text, 'utf8');
    const { speaker, body } = speakerOf(ev, text);
    // Only chats between named people: in a user–assistant chat the user's instructions are
    // preferences and facts (statements.ts), not events of their life.
    if (speaker === 'User' || speaker === 'Assistant') continue;
    const at = ev.processed_at ?? ctx.session.started_at;
    for (const sentence of sentencesOf(body)) {
      const score = salience(sentence);
      if (score < MIN_SCORE) continue;
      const item: Item = {
        line: ev.source_lines?.[0] ?? null,
        eventId: ev.id,
        at,
        text: resolveDates(compress(sentence), dayOf(at)),
        quote: sentence.slice(0, 60),
        score,
        order: order++,
      };
      const list = bySpeaker.get(speaker) ?? [];
      list.push(item);
      bySpeaker.set(speaker, list);
    }
  }

  // Keep the most salient items per byte until the session's budget is spent, then restore order.
  const all = [...bySpeaker.values()]
    .flat()
    .sort(
      (a, b) => b.score / Math.sqrt(a.text.length) - a.score / Math.sqrt(b.text.length) || a.order - b.order,
    );
  const kept = new Set<Item>();
  let spent = 0;
  for (const it of all) {
    const cost = Buffer.byteLength(it.text, 'utf8') + 8;
    if (spent + cost > Math.max(totalBytes * ITEM_BUDGET, MIN_BUDGET)) continue;
    kept.add(it);
    spent += cost;
  }

  // One journal per month: people's months, not single sessions, are what the store can afford.
  const chosen = [...bySpeaker.entries()]
    .flatMap(([speaker, items]) => items.filter((i) => kept.has(i)).map((i) => ({ speaker, i })))
    .sort((a, b) => a.i.order - b.i.order);
  if (chosen.length === 0) return [];
  const first = chosen[0]!.i;
  const day = dayOf(first.at);
  const month = day ? `${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}` : 'undated';
  const speakers = [...new Set(chosen.map((c) => c.speaker))].sort();
  const header = `${day ? fmtDay(day) : 'Undated'} (${ctx.session.id}):`;
  const lines = chosen.map(
    ({ speaker, i }) => `- ${speaker}: ${i.text}${i.line !== null ? ` [L${i.line}]` : ''}`,
  );
  const evidence: Evidence[] = [
    {
      session_id: ctx.session.id,
      event_id: first.eventId,
      lines: first.line === null ? null : [first.line, first.line],
      quote: first.quote,
      observed_at: first.at,
    },
  ];
  const findings: Finding[] = [
    {
      kind: 'fact',
      key: `journal:${shortHash(`${speakers.join('\0').toLowerCase()}\0${month}`)}`,
      title: `${speakers.join(' and ')} in ${month}`,
      body: [header, ...lines].join('\n'),
      value: null,
      observed_at: first.at,
      sequence: ctx.sequence,
      evidence,
      attributes: { journal: true },
      confidence: 0.5,
    },
  ];
  return findings;
}
