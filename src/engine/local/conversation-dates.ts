/**
 * Relative dates in casual conversation ("yesterday", "last Friday", "two weeks ago") resolved
 * against the time of the message, so a memory read months later needs no context to date it.
 */

export const MONTHS = [
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

/** An event or session time as a Date, or null when absent or unparseable. */
export function dayOf(iso: string | null): Date | null {
  if (iso === null) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtDay(d: Date): string {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function fmtMonth(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

function monthShift(when: Date, by: number): string {
  return fmtMonth(new Date(Date.UTC(when.getUTCFullYear(), when.getUTCMonth() + by, 1)));
}

/** Absolute dates for the relative ones in a sentence, appended so a later reader needs no context. */
export function resolveDates(text: string, when: Date | null): string {
  const notes = dateNotes(text, when);
  return notes.length > 0 ? `${text} (${notes.join('; ')})` : text;
}

/** The absolute dates a sentence's relative ones stand for ("yesterday" → "7 May 2023"), in a fixed order. */
export function dateNotes(text: string, when: Date | null): string[] {
  if (when === null) return [];
  const notes: string[] = [];
  const t = text.toLowerCase();
  if (/\byesterday\b/.test(t)) notes.push(fmtDay(addDays(when, -1)));
  if (/\btoday\b|\btonight\b|\bthis morning\b/.test(t)) notes.push(fmtDay(when));
  if (/\btomorrow\b/.test(t)) notes.push(fmtDay(addDays(when, 1)));
  if (/\blast week\b/.test(t)) notes.push(`week of ${fmtDay(addDays(when, -7))}`);
  if (/\bnext week\b/.test(t)) notes.push(`week of ${fmtDay(addDays(when, 7))}`);
  if (/\blast weekend\b/.test(t)) notes.push(`weekend before ${fmtDay(when)}`);
  if (/\blast month\b/.test(t)) notes.push(monthShift(when, -1));
  if (/\bnext month\b/.test(t)) notes.push(monthShift(when, 1));
  if (/\bthis month\b/.test(t)) notes.push(monthShift(when, 0));
  if (/\blast year\b/.test(t)) notes.push(String(when.getUTCFullYear() - 1));
  if (/\bnext year\b/.test(t)) notes.push(String(when.getUTCFullYear() + 1));
  const ago = /\b(\d+|a|one|two|three|four|five|six)\s+(day|week|month|year)s?\s+ago\b/.exec(t);
  if (ago) {
    const n = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 }[ago[1]!] ?? Number(ago[1]);
    const days = { day: 1, week: 7, month: 30, year: 365 }[ago[2] as 'day'] * n;
    notes.push(ago[2] === 'year' ? String(when.getUTCFullYear() - n) : `about ${fmtDay(addDays(when, -days))}`);
  }
  const wd = /\blast (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(t);
  if (wd) {
    const back = (when.getUTCDay() - WEEKDAYS.indexOf(wd[1]!) + 7) % 7 || 7;
    notes.push(fmtDay(addDays(when, -back)));
  }
  return notes;
}
