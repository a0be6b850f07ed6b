import { Command } from 'commander';
import type { Preview } from '../../review-actions/preview.ts';
import { listReviews } from '../../review-actions/records.ts';
import type { ReviewRecord } from '../../review-actions/schema.ts';
import { applyVerdict, planVerdict, type Verdict } from '../../review-actions/verdict.ts';
import { openContext } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';

/** A preview for people: one summary line, what else happens, then each memory's diff. */
export function printPreview(p: Preview): void {
  const s = p.summary;
  const head = p.from_memory_store_id && p.action === 'promote' ? `${p.action} ${p.from_memory_store_id} → ${p.tier} store ${p.memory_store_id}` : `${p.action} ${p.tier} store ${p.memory_store_id}`;
  printLines([`${head}: ${s.added} added, ${s.changed} changed, ${s.removed} removed`, `  ${p.effect}`, '']);
  for (const d of p.changes) process.stdout.write(d.unified.endsWith('\n') ? d.unified : d.unified + '\n');
}

export function printRecord(r: ReviewRecord): void {
  const lines = [`review ${r.id}: ${r.action} by ${r.reviewer} on ${r.memory_store_id}`];
  if (r.version_ids.length > 0) {
    lines.push(`  ${r.version_ids.length} version(s) written, from seq ${(r.seq_before ?? 0) + 1}`);
    lines.push(`  undo with: dream rollback ${r.memory_store_id} --to-review ${r.id} --reviewer NAME --note TEXT --yes`);
  }
  printLines(lines);
}

function verdictCommand(action: Verdict): Command {
  return new Command(action)
    .description(action === 'approve' ? "Approve a completed dream's output (recorded; nothing is written)" : "Reject a dream's output: recorded, and a create_new output store is archived so it cannot be promoted")
    .argument('<dream_id>')
    .option('--reviewer <name>', 'who is reviewing (recorded)')
    .option('--note <text>', 'why (recorded)')
    .action(async (dreamId: string, o: { reviewer?: string; note?: string }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const plan = await planVerdict(ctx.paths, dreamId, action);
      const rec = await applyVerdict(ctx.paths, { dream_id: dreamId, expected_state: plan.preview.expected_state }, action, { reviewer: o.reviewer, note: o.note });
      if (ctx.json) return printJson(rec);
      printPreview(plan.preview);
      printLines([`review ${rec.id}: ${action} by ${rec.reviewer}${rec.archived_store ? `; archived ${rec.memory_store_id}` : ''}`]);
    });
}

/** `dream review approve|reject <dream_id>`. */
export function reviewCommand(): Command {
  const cmd = new Command('review').description("Approve or reject a dream's output (recorded with reviewer and note)");
  cmd.addCommand(verdictCommand('approve'));
  cmd.addCommand(verdictCommand('reject'));
  return cmd;
}

/** `dream reviews list`. */
export function reviewsCommand(): Command {
  const cmd = new Command('reviews').description('Recorded review actions: approve, reject, promote, rollback, tier changes');
  cmd
    .command('list')
    .description('List review records, newest first')
    .option('--store <memstore_id>', 'only reviews that acted on or promoted from this store')
    .option('--dream <dream_id>', 'only reviews of this dream')
    .action(async (o: { store?: string; dream?: string }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const reviews = await listReviews(ctx.paths, { ...(o.store ? { store: o.store } : {}), ...(o.dream ? { dream: o.dream } : {}) });
      if (ctx.json) return printJson({ data: reviews });
      if (reviews.length === 0) return printLines(['no reviews']);
      printTable(
        ['id', 'created', 'action', 'reviewer', 'store', 'versions', 'note'],
        reviews.map((r) => [r.id, r.created_at, r.action, r.reviewer, r.memory_store_id, String(r.version_ids.length), r.note.length > 60 ? `${r.note.slice(0, 59)}…` : r.note]),
      );
    });
  return cmd;
}
