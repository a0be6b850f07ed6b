/**
 * What a statement is about. Two statements contradict only when their subjects are equal, so a
 * subject must be the same however it is worded ("the staging DB", "our staging database host")
 * and different whenever the thing is different ("staging database" vs "production database",
 * the JS package manager vs the Python one). Normalization is therefore a fixed vocabulary of
 * synonyms and attribute words, never similarity.
 */

// Tools people state preferences about, grouped by what they are a choice of. Split by
// ecosystem: "use pnpm" and "use uv" are about different things, not a contradiction.
export const CATEGORIES: Record<string, readonly string[]> = {
  'js-package-manager': ['npm', 'pnpm', 'yarn', 'bun'],
  'python-package-manager': ['pip', 'pipenv', 'poetry', 'uv', 'conda'],
  'js-test-runner': ['jest', 'vitest', 'mocha', 'ava', 'jasmine'],
  'python-test-runner': ['pytest', 'unittest', 'nose'],
  'js-formatter': ['prettier', 'biome', 'dprint'],
  'python-formatter': ['black', 'autopep8', 'yapf'],
  'js-linter': ['eslint', 'tslint', 'oxlint'],
  'python-linter': ['pylint', 'flake8', 'ruff'],
  indentation: ['tabs', 'spaces'],
  quotes: ['single quotes', 'double quotes'],
};

/** The first tool named in `text` (whole words), with its category. */
export function toolIn(text: string): { category: string; tool: string } | null {
  const t = ` ${text.toLowerCase().replace(/[`'"]/g, '').replace(/[^a-z0-9+#.-]+/g, ' ')} `;
  let best: { category: string; tool: string; at: number } | null = null;
  for (const [category, names] of Object.entries(CATEGORIES)) {
    for (const tool of names) {
      const at = t.search(new RegExp(` ${tool.replace(/[.+]/g, '\\$&')}[ .]`));
      if (at >= 0 && (best === null || at < best.at)) best = { category, tool, at };
    }
  }
  return best && { category: best.category, tool: best.tool };
}

export const STOP = new Set([
  'the', 'a', 'an', 'our', 'my', 'your', 'this', 'that', 'these', 'those', 'to', 'for', 'of', 'and', 'or', 'in', 'on',
  'with', 'when', 'any', 'all', 'it', 'its', 'be',
]);

const SYNONYMS: Record<string, string> = {
  db: 'database',
  dbs: 'database',
  repo: 'repository',
  cfg: 'config',
  configuration: 'config',
  prod: 'production',
  stg: 'staging',
  env: 'environment',
  dir: 'directory',
  folder: 'directory',
  k8s: 'kubernetes',
  postgresql: 'postgres',
  nodejs: 'node',
};

// Words that name *how* a thing is reached rather than the thing: "the staging database host" and
// "the staging database" are one subject. Dropped unless nothing else is left.
const ATTRIBUTE_WORDS = new Set(['host', 'hostname', 'address', 'url', 'endpoint', 'location', 'path', 'uri']);

/** Subjects of environment facts worth remembering; a phrase naming none of these is not a fact. */
export const FACT_NOUNS = new Set([
  'database', 'server', 'host', 'hostname', 'port', 'branch', 'config', 'repository', 'registry', 'api', 'endpoint', 'url',
  'cluster', 'bucket', 'region', 'environment', 'directory', 'path', 'ci', 'node', 'python', 'java', 'go', 'ruby',
  'rust', 'postgres', 'mysql', 'redis', 'version', 'staging', 'production', 'cache', 'queue', 'log', 'logs', 'file',
  'channel', 'dashboard', 'service', 'timeout', 'kubernetes', 'namespace', 'domain', 'secret', 'vault', 'account',
]);

/** Runtimes whose bare name as a subject with a version number means "<name> version". */
const VERSIONED = new Set(['node', 'python', 'java', 'go', 'ruby', 'rust', 'postgres', 'mysql', 'redis', 'typescript', 'kubernetes', 'deno', 'bun']);

/** Words that show the phrase is reported speech or someone else's thing, not a subject. */
const NOT_A_SUBJECT = /\b(?:said|says|told|thinks?|believes?|mentioned|wants?|wanted|team|colleague|was|were|if|would|could|might)\b|'s\b/;

/** Lower-case content words of a phrase, synonyms folded. */
export function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[`'"]/g, '')
    .split(/[^a-z0-9.+#-]+/)
    .map((w) => w.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((w) => w !== '' && !STOP.has(w))
    .map((w) => SYNONYMS[w] ?? w);
}

/**
 * The normalized subject of a fact phrase ("the staging DB host" → "staging-database"), or null
 * when the phrase is not about the environment or is too long to be a noun phrase.
 */
export function factSubject(phrase: string, value: string): string | null {
  if (NOT_A_SUBJECT.test(phrase.toLowerCase())) return null;
  let words = contentWords(phrase);
  if (words.length === 0 || words.length > 5 || !words.some((w) => FACT_NOUNS.has(w))) return null;
  const core = words.filter((w) => !ATTRIBUTE_WORDS.has(w));
  if (core.length > 0) words = core;
  // "config file" and "config" are the same thing; "log file" keeps its "file".
  words = words.filter((w, i) => !(w === 'file' && words[i - 1] === 'config'));
  if (words.length === 1 && VERSIONED.has(words[0]!) && isVersion(value)) words.push('version');
  return words.join('-');
}

export function isVersion(value: string): boolean {
  return /^v?\d+(?:\.\d+)*$/.test(value);
}

/** A short subject for a free-form preference ("run the linter before committing"). */
export function actionSubject(action: string, max = 4): string {
  return contentWords(action).slice(0, max).join('-');
}
