/**
 * Conversation memories: what people said about their lives and plans in casual conversation
 * (events, dates, names, places, likes, plans), kept compactly with a pointer to each turn.
 *
 *   message events ─► speaker ("Name: …" prefix, else the role) ─► sentences
 *        ─► salience (names, numbers, dates, first-person events, likes, plans; no questions, no small talk)
 *        ─► per turn its best sentence, filler dropped, clipped, relative dates resolved ("yesterday" → 7 May 2023)
 *        ─► the best turns per byte within a budget of the session's bytes
 *        ─► one journal finding per month and set of people: a dated section, one line per speaker,
 *           each item citing its turn as [Ln]
 *
 * Why one sentence per turn: what a later question needs is usually one turn, and a store that
 * covers many turns briefly finds more of them than one that quotes a few turns in full. Why one
 * memory per month, not per topic or session: each memory carries a fixed provenance block, so
 * finer memories would spend the store's byte budget on provenance instead of on what was said.
 *
 * Journal findings (attribute `journal`) of the same people and month, from different sessions,
 * are accumulated by the merger section by section instead of replaced by the latest one.
 */
import type { Session, SessionEvent } from '../../sessions/schema.ts';
import type { Evidence, Finding } from '../findings.ts';
import { dateNotes, dayOf, fmtDay, fmtMonth } from './conversation-dates.ts';
import { blocksText, shortHash } from './text.ts';

export { resolveDates } from './conversation-dates.ts';

export interface ConversationContext {
  session: Session;
  sequence: number;
}

/** Share of a session's message bytes the kept items may take: the store must stay small. */
export const ITEM_BUDGET = 0.13;
const MIN_SCORE = 3;
// A short chat still keeps its two or three facts.
const MIN_BUDGET = 320;
/** Longest item kept from one turn: the specific part of a chatty sentence tends to come first. */
const MAX_ITEM_CHARS = 60;
/** Bytes a kept item costs beyond its text: the separator and its " [Ln]" tag. */
const ITEM_OVERHEAD = 7;
/** A journal's verifying quote: enough to find the turn, short to keep the store small. */
const QUOTE_CHARS = 40;

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
  speaker: string;
  line: number | null;
  eventId: string;
  at: string | null;
  text: string;
  quote: string;
  score: number;
  order: number;
}

function contentTokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9']+/g) ?? []).filter((w) => !STOP.has(w) && w.length > 1);
}

// A name used to address someone ("Way to go, Jon!", "Thanks, Ana.") says nothing specific.
const VOCATIVE = /(?:^|[,!]\s*)[A-Z][a-z]+(?=\s*[!.?,]|\s*$)/g;
const RELATIVE_DATE =
  /\b(?:yesterday|today|tonight|tomorrow|(?:last|next|this) (?:week|weekend|month|year|sunday|monday|tuesday|wednesday|thursday|friday|saturday)|(?:\d+|a|one|two|three|four|five|six) (?:day|week|month|year)s? ago)\b/i;
const FIRST_PERSON = /\b(?:I|I'm|I've|I'd|I'll|we|we're|we've|my|our|me|us)\b/;
// Reactions addressed to the other person ("You're right", "Have faith in yourself"): encouragement, not events.
const ADDRESSED = /\b(?:you|you're|your|yourself)\b/i;

/** How much specific, rememberable content a sentence holds. */
export function salience(sentence: string): number {
  if (/\?\s*$/.test(sentence)) return 0;
  const plain = sentence.replace(VOCATIVE, ' ');
  const words = plain.split(/\s+/).filter((w) => w !== '');
  const content = contentTokens(sentence);
  if (content.length < 3) return 0;
  let score = Math.min(content.length, 8) / 2;
  // Capitalized words not at the sentence start: names, places, titles, acronyms (LGBTQ, NYC).
  score += 1.5 * words.slice(1).filter((w) => /^(?:[A-Z][a-z]|[A-Z]{2,}\b)/.test(w) && !/^I'/.test(w) && !/^OK\b/.test(w)).length;
  // A relative date ("yesterday", "last week") dates an event: as specific as a written date.
  if (RELATIVE_DATE.test(sentence)) score += 1.5;
  // Numbers, dates, amounts ("<3" is a heart, not a number).
  score += 1.5 * (plain.match(/(?<![<\w])\d[\d,.:]*\b/g) ?? []).length;
  const firstPerson = FIRST_PERSON.test(sentence);
  if (firstPerson && EVENT_WORDS.test(sentence)) score += 2;
  if (!firstPerson && ADDRESSED.test(sentence)) score -= 2;
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

/** Cut a long item at a clause boundary (else a word boundary) so it stays within MAX_ITEM_CHARS. */
export function clip(text: string, max = MAX_ITEM_CHARS): string {
  const cps = Array.from(text);
  if (cps.length <= max) return text;
  const head = cps.slice(0, max).join('');
  const clause = Math.max(head.lastIndexOf(', '), head.lastIndexOf('; '), head.lastIndexOf(' - '), head.lastIndexOf(' – '));
  const cut = clause >= max / 2 ? clause : head.lastIndexOf(' ');
  return `${(cut > 0 ? head.slice(0, cut) : head).replace(/[\s,;:–-]+$/, '')}…`;
}

/** A turn's best candidate item: its most salient sentence per character, or null when it says nothing specific. */
function bestOfTurn(body: string, when: Date | null): { text: string; quote: string; score: number } | null {
  let best: { text: string; quote: string; score: number; rank: number } | null = null;
  for (const sentence of sentencesOf(body)) {
    const score = salience(sentence);
    if (score < MIN_SCORE) continue;
    // Dates are resolved on the whole sentence: a clipped "… yesterday" still gets its day.
    const notes = dateNotes(sentence, when);
    const short = clip(compress(sentence));
    const text = notes.length > 0 ? `${short} (${notes.join('; ')})` : short;
    const rank = score / Math.sqrt(text.length);
    if (best === null || rank > best.rank) best = { text, quote: sentence, score, rank };
  }
  return best;
}

export function conversationFindings(events: readonly SessionEvent[], ctx: ConversationContext): Finding[] {
  const candidates: Item[] = [];
  const people = new Set<string>();
  let totalBytes = 0;
  for (const ev of events) {
    if (ev.type !== 'user.message' && ev.type !== 'agent.message') continue;
    const text = blocksText(ev.content);
    totalBytes += Buffer.byteLength(text, 'utf8');
    const { speaker, body } = speakerOf(ev, text);
    // Only chats between named people: in a user–assistant chat the user's instructions are
    // preferences and facts (statements.ts), not events of their life.
    if (speaker === 'User' || speaker === 'Assistant') continue;
    people.add(speaker);
    const at = ev.processed_at ?? ctx.session.started_at;
    const best = bestOfTurn(body, dayOf(at));
    if (best === null) continue;
    candidates.push({
      speaker,
      line: ev.source_lines?.[0] ?? null,
      eventId: ev.id,
      at,
      text: best.text,
      quote: Array.from(best.quote).slice(0, QUOTE_CHARS).join(''),
      score: best.score,
      order: candidates.length,
    });
  }

  // Keep the most salient turns per byte until the session's budget is spent, then restore order.
  const budget = Math.max(totalBytes * ITEM_BUDGET, MIN_BUDGET);
  const ranked = [...candidates].sort(
    (a, b) => b.score / Math.sqrt(b.text.length) - a.score / Math.sqrt(a.text.length) || a.order - b.order,
  );
  const kept: Item[] = [];
  let spent = 0;
  for (const it of ranked) {
    const cost = Buffer.byteLength(it.text, 'utf8') + ITEM_OVERHEAD;
    if (spent + cost > budget) continue;
    kept.push(it);
    spent += cost;
  }
  if (kept.length === 0) return [];
  kept.sort((a, b) => a.order - b.order);

  // One journal per month of the same people: the key names everyone who spoke, not only those
  // whose turns were kept, so every session of a conversation lands in the same month's memory.
  const first = kept[0]!;
  const day = dayOf(first.at);
  const month = day ? fmtMonth(day) : 'undated';
  const speakers = [...people].sort();
  const lines = [`${day ? fmtDay(day) : 'Undated'} (${ctx.session.id}):`];
  for (const speaker of [...new Set(kept.map((i) => i.speaker))]) {
    const items = kept.filter((i) => i.speaker === speaker).map((i) => (i.line !== null ? `${i.text} [L${i.line}]` : i.text));
    lines.push(`- ${speaker}: ${items.join(' ')}`);
  }
  const evidence: Evidence[] = [
    {
      session_id: ctx.session.id,
      event_id: first.eventId,
      lines: first.line === null ? null : [first.line, first.line],
      quote: first.quote,
      observed_at: first.at,
    },
  ];
  return [
    {
      kind: 'fact',
      key: `journal:${shortHash(`${speakers.join('\0').toLowerCase()}\0${month}`)}`,
      title: `${speakers.join(' and ')} in ${month}`,
      body: lines.join('\n'),
      value: null,
      observed_at: first.at,
      sequence: ctx.sequence,
      evidence,
      attributes: { journal: true },
      confidence: 0.5,
    },
  ];
}
