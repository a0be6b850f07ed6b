import { redactSecrets } from '../sessions/redact.ts';

/**
 * Secret detection for memories, built on the ingest redactor so that ingest, the merger, the
 * grader and write-time screening agree on what a secret is (one rule set, in
 * sessions/redact.ts; the kinds are listed in docs/security.md). Detection = "redaction would
 * change this line"; the secret itself is never reported, only its kind and line.
 */
export interface SecretHit {
  line: number;
  kind: string;
}

const MARKER = /\[REDACTED:([a-z_]+)\]/g;

export function redact(text: string): string {
  return redactSecrets(text).text;
}

export function findSecrets(content: string): SecretHit[] {
  const r = redactSecrets(content);
  if (r.count === 0) return [];
  // Redaction keeps line breaks (a PEM block keeps its line count), so lines still line up.
  const before = content.split('\n');
  const after = r.text.split('\n');
  const hits: SecretHit[] = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i] === after[i]) continue;
    const had = new Set([...(before[i] ?? '').matchAll(MARKER)].map((m) => m[1]!));
    const kinds = [...after[i]!.matchAll(MARKER)].map((m) => m[1]!).filter((k) => !had.has(k));
    // A changed line with no new marker is the inside of a multi-line block begun above.
    const fallback = hits.at(-1)?.kind ?? 'secret';
    for (const kind of kinds.length > 0 ? [...new Set(kinds)] : [fallback]) hits.push({ line: i + 1, kind });
  }
  return hits;
}
