/**
 * The key that groups builds failing the same way. A signature still names the test, file or
 * symbol that failed; builds that fail "the same way" differ exactly there (another test of the
 * same suite, another line of the same file). The key keeps the signature's leading words —
 * what kind of failure it is and what tool says it — and drops placeholders, punctuation and
 * the tail.
 */
const KEY_WORDS = 2;

export function groupKey(signature: string): string {
  const words = signature
    .replace(/<[A-Z]+>/g, ' ')
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 2)
    .slice(0, KEY_WORDS)
    .map((w) => w.toLowerCase());
  return words.join(' ');
}
