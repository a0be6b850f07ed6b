/**
 * The family of a failing tool call: the coarse signature that stays the same when the message
 * changes. Specific signatures (exception + masked message) rarely repeat across sessions — two
 * sessions raise `ValueError` with different messages — so recurring failures are grouped at two
 * levels: the exact signature and its family.
 *
 *   exception raised         → the exception name            (`ValueError`)
 *   well-known error phrase   → the program + that phrase      (`ed` + `command not found`)
 *   anything else             → the program + the leading words of the error line
 *                                (`rm` + `rm: cannot remove`, `pytest` + `ERRORS`)
 *
 * The label is always a literal piece of the error line, so a reader (or an eval) can grep the
 * cited transcripts for it.
 */

export interface FailureFamily {
  /** Stable identity: the same label from the same program is the same family. */
  id: string;
  /** Literal text of the error line (or the exception name) that names the family. */
  label: string;
  /** The program the family belongs to; null for exceptions (any program may raise them). */
  program: string | null;
}

// Phrases that name a kind of failure whatever the program printed around them.
const PHRASES = [
  'command not found',
  'No such file or directory',
  'Permission denied',
  'No module named',
  'timed out',
  'Connection refused',
  'Killed',
  'Segmentation fault',
];

// Decoration before the words of an error line: pytest's `E` marker, rules, bullets, prompts.
const LEAD = /^(?:E\s+)?[\s=_\-*#>|+~.]*/;
const WORD = /^[A-Za-z][A-Za-z'-]*:?$/;
const MAX_WORDS = 3;

/** The family of a failure, or null when its error line holds no words to name it by. */
export function failureFamily(exception: string | null, program: string, errorLine: string): FailureFamily | null {
  if (exception) return { id: `exc:${exception}`, label: exception, program: null };
  const phrase = PHRASES.find((p) => errorLine.includes(p));
  if (phrase) return { id: `cmd:${program}\0${phrase}`, label: phrase, program };
  const text = errorLine.replace(LEAD, '');
  const words: string[] = [];
  for (const tok of text.split(/[ \t]+/)) {
    if (!WORD.test(tok) || words.length >= MAX_WORDS) break;
    words.push(tok);
    if (tok.endsWith(':') && words.length > 1) break;
  }
  // The label must be a literal piece of the line: rebuild it from the original spacing.
  const label = literalPrefix(text, words.length).replace(/:$/, '');
  if (!/[A-Za-z]{3}/.test(label)) return null;
  return { id: `cmd:${program}\0${label}`, label, program };
}

/** The first `n` blank-separated tokens of `text`, with the blanks between them as written. */
function literalPrefix(text: string, n: number): string {
  if (n === 0) return '';
  const re = /[^ \t]+/g;
  let end = 0;
  for (let i = 0; i < n; i++) {
    const m = re.exec(text);
    if (!m) break;
    end = m.index + m[0].length;
  }
  return text.slice(0, end);
}
