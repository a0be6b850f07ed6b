/**
 * `dream logs failure <file> [--pass FILE...] [--json]`: why did this build fail? The log is
 * streamed (gzip read directly) through the failure scanner; passing runs, when given, are
 * streamed first into a set of line templates that discounts what they also print. A second
 * streaming pass fetches only the lines of the ranges shown, so memory stays bounded whatever
 * the log's size.
 */
import { stat } from 'node:fs/promises';
import { Command } from 'commander';
import { NotFoundError } from '../../core/errors.ts';
import { visibleText } from '../../core/lines.ts';
import { FailureScanner } from '../../engine/local/failure-scan.ts';
import { topRanges } from '../../engine/local/failure/ranges.ts';
import type { FailureRange } from '../../engine/local/failure/types.ts';
import { KnownTemplates } from '../../engine/local/failure/known.ts';
import { readLineBatches } from '../../sessions/lines-reader.ts';
import { isGzipFile, openContent } from '../../sessions/source.ts';
import { positiveInt } from '../parse.ts';
import { printJson, printLines } from '../output.ts';

// What a person sees of one line: long lines are cut, the file keeps them whole.
const SHOWN_CHARS = 300;

export function logsFailureCommand(): Command {
  return new Command('failure')
    .description('Rank the lines that say why a build failed, with their context (1-based, inclusive line ranges)')
    .argument('<file>', 'the failing build log (plain or gzip)')
    .option('--pass <files...>', 'passing runs of the same job: lines they also print are discounted')
    .option('--max <n>', 'at most this many ranges', positiveInt('--max'), 5)
    .option('--json', 'print {"ranges":[{"start","end","score","signature"}]} in rank order')
    .action(async (file: string, o: { pass?: string[]; max: number }, self: Command) => {
      const json = Boolean(self.optsWithGlobals<{ json?: boolean }>().json);
      const ranges = await failureRangesOfFile(file, o.pass ?? [], o.max);
      if (json) return printJson({ ranges });
      if (ranges.length === 0) return printLines([`${file}: no failure lines found`]);
      const shown = await linesOf(file, ranges);
      const out: string[] = [];
      ranges.forEach((r, i) => {
        out.push(`#${i + 1}  lines ${r.start}-${r.end}  score ${r.score}  ${r.signature}`);
        for (let l = r.start; l <= r.end; l++) out.push(`  ${String(l).padStart(7)} | ${shown.get(l) ?? ''}`);
        out.push('');
      });
      printLines(out);
    });
}

/** The ranked failure ranges of a log file, streaming it and its passing runs. */
export async function failureRangesOfFile(file: string, passFiles: readonly string[], max: number): Promise<FailureRange[]> {
  const known = new KnownTemplates();
  for (const p of passFiles) for await (const batch of readFile(p)) for (const l of batch.lines) known.add(l);
  const scanner = new FailureScanner({ known });
  for await (const batch of readFile(file)) batch.lines.forEach((l, i) => scanner.push(l, batch.first + i));
  return topRanges(scanner, max);
}

async function* readFile(path: string): AsyncGenerator<{ first: number; lines: string[] }> {
  try {
    await stat(path);
  } catch {
    throw new NotFoundError('file', path);
  }
  yield* readLineBatches(openContent(path, await isGzipFile(path)));
}

/** The visible text of the lines inside `ranges`, read in one more streaming pass. */
async function linesOf(file: string, ranges: readonly FailureRange[]): Promise<Map<number, string>> {
  const want = (l: number): boolean => ranges.some((r) => l >= r.start && l <= r.end);
  const last = Math.max(...ranges.map((r) => r.end));
  const out = new Map<number, string>();
  for await (const batch of readFile(file)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const l = batch.first + i;
      if (want(l)) {
        const raw = batch.lines[i]!;
        const text = visibleText(raw.length > SHOWN_CHARS * 4 ? raw.slice(0, SHOWN_CHARS * 4) : raw);
        out.set(l, text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}… (${raw.length} characters)` : text);
      }
    }
    if (batch.first + batch.lines.length > last) break;
  }
  return out;
}
