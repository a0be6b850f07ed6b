import { InvalidInputError } from '../core/errors.ts';
import { CheckName, type Criterion, type Rubric } from './schema.ts';

/**
 * A rubric is Markdown: one criterion per `##` section (title + body), or, when there is no `##`
 * section, one per top-level bullet. A criterion names its mechanical check with a marker
 * (`<!-- check: evidence -->` or a line `check: evidence`); without one, clear keywords decide;
 * with neither, only a model can grade it.
 */
export function parseRubric(text: string, source: string): Rubric {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections = sectionsOf(lines);
  const raw = sections.length > 0 ? sections : bulletsOf(lines);
  if (raw.length === 0) {
    throw new InvalidInputError(
      'rubric_empty',
      `${source}: the rubric has no criteria (write one "## Criterion" section or one top-level "- bullet" per criterion)`,
      { field: source },
    );
  }
  const ids = new Set<string>();
  const criteria: Criterion[] = raw.map((c, i) => {
    const base = slug(c.title) || `criterion-${i + 1}`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return { id, title: c.title, text: c.body, check: checkFor(c.title, c.body, `${source}:${c.line}`) };
  });
  return { source, criteria };
}

interface RawCriterion {
  title: string;
  body: string;
  line: number;
}

function sectionsOf(lines: string[]): RawCriterion[] {
  const out: RawCriterion[] = [];
  let inFence = false;
  lines.forEach((l, i) => {
    if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
    const m = inFence ? null : /^## +(.+?)\s*#*\s*$/.exec(l);
    if (m) out.push({ title: m[1]!, body: '', line: i + 1 });
    else if (out.length > 0) out.at(-1)!.body += `${l}\n`;
  });
  return out.map((c) => ({ ...c, body: c.body.trim() })).filter((c) => c.title.trim() !== '');
}

function bulletsOf(lines: string[]): RawCriterion[] {
  const out: RawCriterion[] = [];
  let inFence = false;
  lines.forEach((l, i) => {
    if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
    const m = inFence ? null : /^[-*+] +(.+)$/.exec(l);
    if (m) out.push({ title: m[1]!.trim(), body: '', line: i + 1 });
    else if (out.length > 0 && /^\s+\S/.test(l)) out.at(-1)!.body += `${l.trim()}\n`;
  });
  return out.map((c) => ({ ...c, body: c.body.trim() }));
}

const MARKER = /(?:<!--\s*check:\s*([A-Za-z_-]+)\s*-->|^\s*check:\s*([A-Za-z_-]+)\s*$)/im;

/** Keywords, most specific first: a criterion about cited evidence should not become a size check. */
const KEYWORDS: [RegExp, CheckName][] = [
  [/\b(?:evidence|cites?|cited|citing|citations?|provenance)\b/i, 'evidence'],
  [/\bduplicat/i, 'duplicates'],
  [/\bcontradict/i, 'contradictions'],
  [/\b(?:secrets?|credentials?)\b/i, 'secrets'],
  [/\b(?:sizes?|limits?|paths?)\b/i, 'limits'],
  [/\b(?:parses?|parseable|machine-readable)\b/i, 'format'],
];

function checkFor(title: string, body: string, where: string): CheckName | null {
  const marker = MARKER.exec(`${title}\n${body}`);
  if (marker) {
    const name = (marker[1] ?? marker[2])!.toLowerCase();
    const parsed = CheckName.safeParse(name);
    if (!parsed.success) {
      throw new InvalidInputError(
        'rubric_unknown_check',
        `${where}: criterion ${JSON.stringify(title)} names unknown check "${name}" (known: ${CheckName.options.join(', ')})`,
        { field: where },
      );
    }
    return parsed.data;
  }
  // The title says what the criterion is about; the body only when the title is silent.
  for (const text of [title, body]) for (const [re, check] of KEYWORDS) if (re.test(text)) return check;
  return null;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}
