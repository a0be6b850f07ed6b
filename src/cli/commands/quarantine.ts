import { Command } from 'commander';
import { applyRelease, planRelease } from '../../review-actions/release.ts';
import { QuarantineRepo } from '../../screening/quarantine.ts';
import { describeFlags } from '../../screening/screen.ts';
import { showHidden } from '../../screening/excerpt.ts';
import { openContext } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';
import { printPreview, printRecord } from './review.ts';

/** `dream quarantine list|show|release`: memory writes that screening refused, for review. */
export function quarantineCommand(): Command {
  const cmd = new Command('quarantine').description(
    'Memory writes refused by screening (injections, hidden text, exfiltration links, blobs, secrets)',
  );

  cmd
    .command('list')
    .description('List quarantined memory writes')
    .option('--store <memstore_id>', 'only writes aimed at this store')
    .option('--dream <dream_id>', 'only writes by this dream')
    .action(async (o: { store?: string; dream?: string }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const entries = await new QuarantineRepo(ctx.paths).list({
        ...(o.store ? { store: o.store } : {}),
        ...(o.dream ? { dream: o.dream } : {}),
      });
      if (ctx.json) return printJson({ data: entries });
      if (entries.length === 0) return printLines(['nothing quarantined']);
      printTable(
        ['id', 'source', 'store', 'path', 'rules'],
        entries.map((e) => [
          e.id,
          e.source.type === 'dream' ? e.source.dream_id : `client ${e.source.operation}`,
          e.memory_store_id ?? '',
          e.path,
          [...new Set(e.flags.map((f) => f.rule))].join(','),
        ]),
      );
    });

  cmd
    .command('show')
    .description('Show one quarantined write: reasons, excerpts, evidence and the refused content')
    .argument('<quarantine_id>')
    .action(async (id: string, _o, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const e = await new QuarantineRepo(ctx.paths).get(id);
      if (ctx.json) return printJson(e);
      const lines = [
        `${e.id}  ${e.path}`,
        `  source:  ${e.source.type === 'dream' ? `dream ${e.source.dream_id}` : `client ${e.source.operation} by ${JSON.stringify(e.source.actor)}`}`,
        `  store:   ${e.memory_store_id ?? '—'}`,
        `  at:      ${e.created_at}`,
        ...(e.released ? [`  released: by ${e.released.reviewer} at ${e.released.at} (review ${e.released.review_id})`] : []),
        `  why:     ${describeFlags(e.flags)}`,
        '',
        'Flags:',
        ...e.flags.map((f) => `  line ${f.line} [${f.category}/${f.rule}] ${f.excerpt}`),
      ];
      if (e.evidence.length > 0 || e.sessions.length > 0) {
        lines.push('', `Evidence (sessions: ${e.sessions.join(', ') || '—'}):`);
        for (const ev of e.evidence)
          lines.push(
            `  ${ev.session_id}${ev.lines ? ` L${ev.lines[0]}-${ev.lines[1]}` : ''}${ev.event_id ? ` (${ev.event_id})` : ''}: ${showHidden(JSON.stringify(ev.quote.slice(0, 200)))}`,
          );
      }
      lines.push(
        '',
        'Content (secrets redacted, hidden characters shown as <U+XXXX>):',
        ...showHidden(e.content)
          .split('\n')
          .map((l) => `  | ${l}`),
      );
      printLines(lines);
    });

  cmd
    .command('release')
    .description('Write a quarantined memory into its store after all, as a recorded review (preview without --yes)')
    .argument('<quarantine_id>')
    .option('--reviewer <name>', "who is releasing (recorded as the version's user actor); needed with --yes")
    .option('--note <text>', 'why screening was wrong here (recorded in the review record); needed with --yes')
    .option('--yes', 'apply; without it, only the preview is printed')
    .action(async (id: string, o: { reviewer?: string; note?: string; yes?: boolean }, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const plan = await planRelease(ctx.paths, id);
      if (!o.yes) {
        if (ctx.json) return printJson(plan.preview);
        printPreview(plan.preview);
        return printLines(['', 'nothing changed yet: run again with --yes --reviewer NAME --note TEXT to apply']);
      }
      const rec = await applyRelease(ctx.paths, { quarantine_id: id, expected_state: plan.preview.expected_state }, { reviewer: o.reviewer, note: o.note });
      if (ctx.json) return printJson(rec);
      printPreview(plan.preview);
      printRecord(rec);
    });

  return cmd;
}
