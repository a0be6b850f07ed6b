import { stat } from 'node:fs/promises';
import { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.ts';
import { mineFiles } from '../../engine/local/templates/mine-files.ts';
import { TemplateMiner } from '../../engine/local/templates/miner.ts';
import type { GlobalOptions } from '../context.ts';

/**
 * `dream logs templates <files...> [--json]`: mine log templates over the files (plain or gzip).
 * With --json: one JSON line per input line {file, line, template_id, template}, then one per
 * template {template_id, template, count}, most frequent first. Per-line output names each line's
 * final template, so it is written after every file has been mined.
 */
export async function logsTemplates(files: readonly string[], json: boolean, write: (s: string) => void): Promise<void> {
  for (const f of files) {
    const st = await stat(f).catch(() => null);
    if (!st) throw new InvalidInputError('file_not_found', `${f}: no such file`, { path: f });
    if (!st.isFile()) throw new InvalidInputError('not_a_file', `${f}: not a regular file`, { path: f });
  }
  const miner = new TemplateMiner();
  const mined = await mineFiles(files, miner, { record: json });
  const templates = miner.templates();
  if (!json) {
    const rows = templates.map((t) => [String(t.count), t.id, t.template]);
    printTableTo(write, ['count', 'template_id', 'template'], rows);
    return;
  }
  const bySeq = new Map<number, string>();
  const lineOf = (seq: number): string => {
    let s = bySeq.get(seq);
    if (s === undefined) {
      const { id, text } = miner.describe(miner.cluster(seq));
      s = `,"template_id":${JSON.stringify(id)},"template":${JSON.stringify(text)}}\n`;
      bySeq.set(seq, s);
    }
    return s;
  };
  for (const file of mined) {
    const head = `{"file":${JSON.stringify(file.path)},"line":`;
    const clusters = file.clusters!;
    let buf = '';
    for (let i = 0; i < clusters.length; i++) {
      buf += head + (i + 1) + lineOf(clusters[i]!);
      if (buf.length > 1 << 16) {
        write(buf);
        buf = '';
      }
    }
    if (buf) write(buf);
  }
  for (const t of templates) write(JSON.stringify({ template_id: t.id, template: t.template, count: t.count }) + '\n');
}

/** A table for people, columns padded to the widest cell (as cli/output.ts `printTable`, but to `write`). */
function printTableTo(write: (s: string) => void, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  write([fmt(headers), ...rows.map(fmt)].join('\n') + '\n');
}

function stdoutWrite(s: string): void {
  process.stdout.write(s);
}

export function logsTemplatesCommand(write: (s: string) => void = stdoutWrite): Command {
  return new Command('templates')
    .description('Mine log templates (variables masked, Drain parse tree) over files; .gz read directly')
    .argument('<files...>')
    .option('--json', 'one JSON line per input line, then one per template with its count')
    .action(async (files: string[], _o, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      await logsTemplates(files, Boolean(g.json), write);
    });
}
