import { Command } from 'commander';
import { applyPromote, planPromote } from '../../review-actions/promote.ts';
import { openContext } from '../context.ts';
import { printJson, printLines } from '../output.ts';
import { printPreview, printRecord } from './review.ts';

/**
 * `dream promote <from> --to <store>`: without --yes, print exactly what would change and change
 * nothing; with --yes, apply that same change (refused if the target moved meanwhile).
 */
export function promoteCommand(): Command {
  return new Command('promote')
    .description('Promote memories of a working store (a dream output) into a project or org store, as a recorded review')
    .argument('<from_store>', 'the working store to promote from')
    .requiredOption('--to <memstore_id>', 'the project or org store to write into')
    .option('--path <path...>', 'only these memory paths (a path ending in / selects a folder); default: the whole store')
    .option('--reviewer <name>', 'who is promoting (recorded as the versions\' user actor); needed with --yes')
    .option('--note <text>', 'why (recorded in the review record); needed with --yes')
    .option('--yes', 'apply; without it, only the preview is printed')
    .action(async (from: string, o: { to: string; path?: string[]; reviewer?: string; note?: string; yes?: boolean }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const req = { from, to: o.to, ...(o.path ? { paths: o.path } : {}) };
      const plan = await planPromote(ctx.paths, req);
      if (!o.yes) {
        if (ctx.json) return printJson(plan.preview);
        printPreview(plan.preview);
        return printLines(['', plan.preview.changes.length === 0 ? 'nothing to promote' : 'nothing changed yet: run again with --yes --reviewer NAME --note TEXT to apply']);
      }
      const rec = await applyPromote(ctx.paths, { ...req, expected_state: plan.preview.expected_state }, { reviewer: o.reviewer, note: o.note });
      if (ctx.json) return printJson(rec);
      printPreview(plan.preview);
      printRecord(rec);
    });
}
