import { Command } from 'commander';
import { applyRollback, planRollback } from '../../review-actions/rollback.ts';
import { openContext } from '../context.ts';
import { printJson, printLines } from '../output.ts';
import { printPreview, printRecord } from './review.ts';

/** `dream rollback <store> --to-review rev_… | --to-seq N`: preview, then --yes to apply. */
export function rollbackCommand(): Command {
  return new Command('rollback')
    .description('Restore a store to its state before a review action or at a version seq, as new versions (a recorded review)')
    .argument('<memstore_id>')
    .option('--to-review <rev_id>', 'undo this review action and everything after it')
    .option('--to-seq <n>', 'return to the state right after version seq N (0 = empty)')
    .option('--reviewer <name>', 'who is rolling back (recorded); needed with --yes')
    .option('--note <text>', 'why (recorded); needed with --yes')
    .option('--yes', 'apply; without it, only the preview is printed')
    .action(async (store: string, o: { toReview?: string; toSeq?: string; reviewer?: string; note?: string; yes?: boolean }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const req = { store, to_review: o.toReview, to_seq: o.toSeq };
      const plan = await planRollback(ctx.paths, req);
      if (!o.yes) {
        if (ctx.json) return printJson(plan.preview);
        printPreview(plan.preview);
        return printLines(['', plan.preview.changes.length === 0 ? 'nothing to roll back' : 'nothing changed yet: run again with --yes --reviewer NAME --note TEXT to apply']);
      }
      const rec = await applyRollback(ctx.paths, { ...req, expected_state: plan.preview.expected_state }, { reviewer: o.reviewer, note: o.note });
      if (ctx.json) return printJson(rec);
      printPreview(plan.preview);
      printRecord(rec);
    });
}
