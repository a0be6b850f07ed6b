/**
 * The strategy spec grammar: what `--strategy` and `dream compare --strategies` accept.
 *
 *   spec     := batching [ "+" merging ]
 *   batching := (name | module-path) [ ":" options ]
 *   merging  := ("flat" | "hierarchical") [ ":" options ]
 *   options  := key "=" number { "," key "=" number }
 *
 * e.g. `fixed-count`, `similarity:batch-size=8+hierarchical:fan-in=4`, `./my-strategy.ts:n=3`.
 * A module path starts with `.` or `/` or ends in .ts, .js or .mjs. `dream compare` separates
 * specs with `,` only where a `,` is followed by a new spec (a name or path, not `key=`).
 */
import { isAbsolute, resolve } from 'node:path';
import { InvalidInputError } from '../../core/errors.ts';

export interface StrategySpec {
  batching: { name: string; path: string | null; options: Record<string, number> };
  merging: { name: string; options: Record<string, number> };
}

const MERGING = /^(flat|hierarchical)(?::|$)/;

export function isModulePath(name: string): boolean {
  return name.startsWith('.') || isAbsolute(name) || /\.(?:[cm]?js|[cm]?ts)$/.test(name);
}

function parseOptions(text: string, where: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (text === '') return out;
  for (const part of text.split(',')) {
    const m = /^([a-z][a-z0-9-]*)=(.+)$/.exec(part.trim());
    const value = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(value)) {
      throw new InvalidInputError('invalid_strategy_spec', `strategy ${JSON.stringify(where)}: option ${JSON.stringify(part)} is not key=number`);
    }
    if (m[1]! in out) throw new InvalidInputError('invalid_strategy_spec', `strategy ${JSON.stringify(where)}: option ${m[1]} given twice`);
    out[m[1]!] = value;
  }
  return out;
}

/** `name:opts`, where a module path may itself hold `:` before its last `/`. */
function splitNameOptions(text: string): [string, string] {
  const from = Math.max(text.lastIndexOf('/'), 0);
  const colon = text.indexOf(':', from);
  return colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
}

export function parseSpec(text: string, cwd = process.cwd()): StrategySpec {
  const spec = text.trim();
  if (spec === '') throw new InvalidInputError('invalid_strategy_spec', 'strategy spec is empty');
  const plus = spec.lastIndexOf('+');
  const hasMerging = plus > 0 && MERGING.test(spec.slice(plus + 1));
  const batchingText = hasMerging ? spec.slice(0, plus) : spec;
  const [mergeName, mergeOpts] = hasMerging ? splitNameOptions(spec.slice(plus + 1)) : ['flat', ''];
  const [name, opts] = splitNameOptions(batchingText);
  if (name === '') throw new InvalidInputError('invalid_strategy_spec', `strategy ${JSON.stringify(spec)}: no batching strategy named`);
  const path = isModulePath(name) ? resolve(cwd, name) : null;
  return {
    batching: { name: path ?? name, path, options: parseOptions(opts, spec) },
    merging: { name: mergeName, options: parseOptions(mergeOpts, spec) },
  };
}

function formatOptions(o: Record<string, number>): string {
  const keys = Object.keys(o).sort();
  return keys.length === 0 ? '' : `:${keys.map((k) => `${k}=${o[k]}`).join(',')}`;
}

/** The canonical text of a spec: options sorted, a flat merge with no options left implicit. */
export function formatSpec(s: StrategySpec): string {
  const merging = s.merging.name === 'flat' && Object.keys(s.merging.options).length === 0 ? '' : `+${s.merging.name}${formatOptions(s.merging.options)}`;
  return `${s.batching.name}${formatOptions(s.batching.options)}${merging}`;
}

/**
 * Split a `--strategies` list: a `,` starts a new spec unless what follows is another `key=value`
 * option of the current one (`similarity:batch-size=8,min-similarity=0.3,one-batch` is two specs).
 */
export function splitSpecList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const last = out.length - 1;
    if (last >= 0 && /^[a-z][a-z0-9-]*=/.test(p) && !/^(flat|hierarchical)/.test(p)) out[last] = `${out[last]},${p}`;
    else out.push(p);
  }
  return out;
}
