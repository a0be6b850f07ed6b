import type { Flag } from './types.ts';
import { excerptOf, lineAt } from './excerpt.ts';

/**
 * Characters a reader cannot see but a model reads: zero-width characters (words split to dodge
 * filters, or whole messages hidden), bidirectional overrides (text that displays differently
 * from what it says), Unicode tag characters U+E0000–E007F and the variation selectors
 * supplement (ASCII smuggled invisibly). A zero-width joiner inside an emoji sequence is normal.
 */
const HIDDEN =
  /[\u200B-\u200D\u2060-\u2064\uFEFF\u180E\u00AD]|[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/gu;
const EMOJI = /\p{Extended_Pictographic}/u;

function kindOf(c: string): { rule: string; reason: string } {
  const cp = c.codePointAt(0)!;
  if (cp >= 0xe0000 && cp <= 0xe007f)
    return { rule: 'tag_characters', reason: 'Unicode tag characters (invisible text)' };
  if (cp >= 0xe0100)
    return { rule: 'variation_selectors', reason: 'variation selectors outside emoji (invisible text)' };
  if (
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x200e ||
    cp === 0x200f ||
    cp === 0x061c
  ) {
    return {
      rule: 'bidi_control',
      reason: 'bidirectional control characters (text shown differently from what it says)',
    };
  }
  return { rule: 'zero_width', reason: 'zero-width or invisible characters' };
}

export function findHiddenUnicode(text: string): Flag[] {
  const flags: Flag[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(HIDDEN)) {
    const c = m[0];
    const at = m.index;
    if (c === '\u200D') {
      // ZWJ between emoji (👨‍👩‍👧) is how those are spelled.
      const before = String.fromCodePoint(text.codePointAt(Math.max(0, at - 2)) ?? 0);
      const prev = text.slice(Math.max(0, at - 2), at);
      if (EMOJI.test(prev) || EMOJI.test(before) || EMOJI.test(text.slice(at + 1, at + 3))) continue;
    }
    if (c === '\uFEFF' && at === 0) continue; // a byte-order mark at the very start
    const { rule, reason } = kindOf(c);
    const line = lineAt(text, at);
    const key = `${rule}:${line.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    flags.push({
      category: 'hidden_unicode',
      rule,
      reason,
      line: line.line,
      excerpt: excerptOf(line.text, at - line.start, at - line.start + c.length),
    });
  }
  return flags;
}

/** The text with every hidden character removed, so the other rules see what a model reads. */
export function stripHidden(text: string): string {
  return text.replace(HIDDEN, '');
}
