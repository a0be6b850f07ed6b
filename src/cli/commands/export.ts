import { Command } from 'commander';
import { exportStore, parseExportFormat } from '../../export/write.ts';
import { MemoryStoreRepo } from '../../memory/repo.ts';
import { openContext } from '../context.ts';
import { printJson, printLines } from '../output.ts';

export function exportCommand(): Command {
  return new Command('export')
    .description(
      'Write a store for an agent: CLAUDE.md (Claude Code), AGENTS.md (other agents) or a folder, provenance kept as footnotes',
    )
    .argument('<memstore_id>')
    .requiredOption('--format <format>', 'claude-md | agents-md | dir')
    .option('--out <path>', 'output file or folder (default: ./CLAUDE.md, ./AGENTS.md, ./<store>-memories)')
    .option('--force', 'overwrite an existing CLAUDE.md / AGENTS.md')
    .action(async (id: string, o: { format: string; out?: string; force?: boolean }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const format = parseExportFormat(o.format);
      const r = await exportStore(new MemoryStoreRepo(ctx.paths), id, format, {
        ...(o.out ? { out: o.out } : {}),
        force: Boolean(o.force),
      });
      if (ctx.json) printJson({ memory_store_id: id, ...r });
      else printLines([`exported ${r.memories} memories of ${id} as ${r.format} to ${r.path}`]);
    });
}
