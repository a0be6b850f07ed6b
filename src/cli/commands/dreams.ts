import { Command, Option } from 'commander';
import { buildRunConfig, dreamOverSessions } from '../../app/run.ts';
import { DreamRepo } from '../../dreams/repo.ts';
import type { DreamRecord } from '../../dreams/schema.ts';
import type { DreamStatus } from '../../dreams/lifecycle.ts';
import { runDream } from '../../coordinator/run-dream.ts';
import { resumeOrphans } from '../../coordinator/resume.ts';
import { openContext, type Context } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';
import { addDreamOptions, describeResult, exitCodeFor, toRunRequest } from './run.ts';

function sessionsOf(d: DreamRecord): number {
  const s = d.inputs.find((i) => i.type === 'sessions');
  return s && s.type === 'sessions' ? s.session_ids.length : 0;
}

function show(ctx: Context, d: DreamRecord): void {
  if (ctx.json) printJson(d);
  else printLines(describeResult(ctx, d));
}

export function dreamCommands(): Command[] {
  const create = new Command('create')
    .description('Create a dream over sessions already imported, and run it')
    .requiredOption('--session <ids...>', 'session ids (sesn_…), 1 to 100');
  addDreamOptions(create).action(async (opts, self: Command) => {
    const ctx = await openContext(self);
    const req = toRunRequest([], opts);
    const config = await buildRunConfig(req);
    const dreams = await dreamOverSessions(ctx.paths, opts.session as string[], { ...req, maxSessions: opts.maxSessions }, config, {
      onProgress: (p) => ctx.progress.update(`extracting: batch ${p.done}/${p.total} · ${p.findings} findings`),
    });
    const final = dreams[dreams.length - 1]!;
    show(ctx, final);
    process.exitCode = exitCodeFor(final);
  });

  const get = new Command('get')
    .description('Show one dream')
    .argument('<dream_id>')
    .action(async (id: string, _o, self: Command) => {
      const ctx = await openContext(self);
      show(ctx, await new DreamRepo(ctx.paths).get(id));
    });

  const list = new Command('list')
    .description('List dreams, newest first')
    .option('--include-archived', 'include archived dreams')
    .addOption(new Option('--status <status...>', 'only these statuses').choices(['pending', 'running', 'completed', 'failed', 'canceled']))
    .action(async (o: { includeArchived?: boolean; status?: DreamStatus[] }, self: Command) => {
      const ctx = await openContext(self);
      const dreams = await new DreamRepo(ctx.paths).list({
        include_archived: Boolean(o.includeArchived),
        ...(o.status ? { statuses: o.status } : {}),
      });
      if (ctx.json) return printJson({ data: dreams });
      printTable(
        ['id', 'status', 'sessions', 'created', 'output'],
        dreams.map((d) => [d.id, d.status + (d.archived_at ? ' (archived)' : ''), String(sessionsOf(d)), d.created_at, d.outputs[0]?.memory_store_id ?? '']),
      );
    });

  const cancel = new Command('cancel')
    .description('Cancel a pending or running dream (idempotent; refused on completed or failed)')
    .argument('<dream_id>')
    .action(async (id: string, _o, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      show(ctx, await new DreamRepo(ctx.paths).cancel(id));
    });

  const archive = new Command('archive')
    .description('Archive a completed, failed or canceled dream')
    .argument('<dream_id>')
    .action(async (id: string, _o, self: Command) => {
      const ctx = await openContext(self);
      show(ctx, await new DreamRepo(ctx.paths).archive(id));
    });

  const resume = new Command('resume')
    .description('Resume a dream left running by a killed process (all such dreams when no id is given)')
    .argument('[dream_id]')
    .action(async (id: string | undefined, _o, self: Command) => {
      const ctx = await openContext(self, { resume: false });
      const hooks = { onProgress: (p: { done: number; total: number; findings: number }) => ctx.progress.update(`extracting: batch ${p.done}/${p.total} · ${p.findings} findings`) };
      const dreams = id ? [await runDream(ctx.paths, id, hooks)] : await resumeOrphans(ctx.paths, hooks);
      if (ctx.json) printJson({ data: dreams });
      else if (dreams.length === 0) printLines(['no dream to resume']);
      else printLines(dreams.flatMap((d) => describeResult(ctx, d)));
      const last = dreams[dreams.length - 1];
      if (last) process.exitCode = exitCodeFor(last);
    });

  return [create, get, list, cancel, archive, resume];
}
