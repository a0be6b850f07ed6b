import type { FindingKind } from '../engine/findings.ts';
import { sha256Hex } from '../core/ids.ts';

/** The folder each kind of memory lives in; workarounds are filed as playbooks. */
export const KIND_FOLDER: Record<FindingKind, string> = {
  failure: 'failures',
  workaround: 'playbooks',
  fact: 'facts',
  preference: 'preferences',
  insight: 'insights',
};

export const FOLDER_DESCRIPTION: Record<FindingKind, string> = {
  failure: 'recurring failures: what breaks, its signature, where it was seen',
  workaround: 'workarounds and fixes that made a failure go away',
  fact: 'facts about the project and its environment (current value, superseded values in History)',
  preference: 'preferences of the people and teams the agent works with',
  insight: 'cross-session insights: patterns that hold across many sessions',
};

export const MANAGED_FOLDERS: readonly string[] = Object.values(KIND_FOLDER).map((f) => `/${f}/`);

export function isManagedPath(path: string): boolean {
  return MANAGED_FOLDERS.some((f) => path.startsWith(f));
}

const MAX_SLUG_CHARS = 60;

/** Readable words from the title, ASCII only so paths are easy to type, grep and diff. */
export function slugWords(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= MAX_SLUG_CHARS) return ascii;
  const cut = ascii.slice(0, MAX_SLUG_CHARS);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 20 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '');
}

/**
 * A memory's path: folder by kind, slug from the title, and a short hash of kind+key so two
 * lessons with similar titles never share a file. `hashChars` grows only on a collision.
 */
export function memoryPath(kind: FindingKind, title: string, key: string, hashChars = 8): string {
  const words = slugWords(title) || kind;
  const hash = sha256Hex(`${kind}\0${key}`).slice(0, hashChars);
  return `/${KIND_FOLDER[kind]}/${words}-${hash}.md`;
}

/** The first free path for a memory, given the paths already taken (deterministic). */
export function assignPath(kind: FindingKind, title: string, key: string, taken: ReadonlySet<string>): string {
  for (const chars of [8, 12, 16, 24, 64]) {
    const p = memoryPath(kind, title, key, chars);
    if (!taken.has(p)) return p;
  }
  for (let n = 2; ; n++) {
    const p = memoryPath(kind, title, key, 64).replace(/\.md$/, `-${n}.md`);
    if (!taken.has(p)) return p;
  }
}
