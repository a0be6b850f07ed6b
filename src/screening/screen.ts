import { redactSecrets } from '../sessions/redact.ts';
import { findEncodedBlobs } from './blobs.ts';
import { excerptOf, lineAt } from './excerpt.ts';
import { INJECTION_RULES } from './injection.ts';
import { findExfilLinks } from './links.ts';
import type { Flag, ScreenResult } from './types.ts';
import { findHiddenUnicode, stripHidden } from './unicode.ts';

/**
 * Screen one memory's content before it is written. Secrets are redacted (never a reason to
 * refuse a dream's memory: the lesson stays, the secret goes); everything else is a flag, and
 * a flagged memory is quarantined by the caller. Injection rules run on the text a model would
 * read: hidden characters removed and compatibility forms folded (NFKC turns fullwidth
 * `ｉｇｎｏｒｅ` into `ignore`), so splitting a word with a zero-width space does not dodge them.
 */
export function screenContent(content: string): ScreenResult {
  const redacted = redactSecrets(content);
  const flags: Flag[] = [...findHiddenUnicode(content)];
  // Rules read the original text: a payload the secret rules would redact (a long random value
  // in a URL) is still evidence of an exfiltration attempt. Excerpts are redacted.
  const visible = stripHidden(content).normalize('NFKC');
  for (const rule of INJECTION_RULES) {
    rule.re.lastIndex = 0;
    for (const m of visible.matchAll(rule.re)) {
      const line = lineAt(visible, m.index);
      flags.push({
        category: 'injection',
        rule: rule.id,
        reason: rule.reason,
        line: line.line,
        excerpt: excerptOf(line.text, m.index - line.start, m.index - line.start + m[0].length),
      });
      break; // one excerpt per rule is enough to act on
    }
  }
  flags.push(...findExfilLinks(visible), ...findEncodedBlobs(visible));
  flags.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
  return { content: redacted.text, redactions: redacted.count, flags };
}

/** One line naming every reason, for error messages and tables. */
export function describeFlags(flags: Flag[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const f of flags) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    parts.push(`${f.rule} (line ${f.line}: ${f.reason})`);
  }
  return parts.join('; ');
}
