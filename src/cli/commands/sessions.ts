import { Command } from 'commander';
import { ExitCode } from '../../core/errors.ts';
import { importSessions } from '../../sessions/import.ts';
import { getSession, listSessions, readEventsArray } from '../../sessions/store.ts';
import { openContext } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';

export function sessionsCommand(): Command {
  const cmd = new Command('sessions').description('Import and inspect sessions (transcripts and build logs)');

  cmd
    .command('import')
    .description('Import files, directories or globs; each file becomes one session (formats are auto-detected)')
    .argument('<inputs...>')
    .action(async (inputs: string[], _o, self: Command) => {
      const ctx = await openContext(self);
      const report = await importSessions(ctx.paths, inputs, {
        onProgress: (e: { done: number; total: number }) => ctx.progress.update(`importing ${e.done}/${e.total}`),
      });
      if (ctx.json) printJson(report);
      else {
        for (const s of report.imported) printLines([`imported ${s.id}  ${s.format.padEnd(14)} ${s.event_count} events  ${s.source.path}`]);
        for (const s of report.existing) printLines([`known    ${s.id}  ${s.format.padEnd(14)} ${s.source.path}`]);
        for (const w of report.warnings) process.stderr.write(`warning: ${w.path}:${w.line}: ${w.message}\n`);
        for (const f of report.failed) process.stderr.write(`refused: ${f.path}: ${f.reason}\n`);
      }
      if (report.failed.length > 0) process.exitCode = ExitCode.badInput;
    });

  cmd
    .command('list')
    .description('List imported sessions')
    .action(async (_o, self: Command) => {
      const ctx = await openContext(self);
      const sessions = await listSessions(ctx.paths);
      if (ctx.json) return printJson({ data: sessions });
      printTable(
        ['id', 'kind', 'format', 'events', 'lines', 'title'],
        sessions.map((s) => [s.id, s.kind, s.format, String(s.event_count), String(s.line_count), s.title]),
      );
    });

  cmd
    .command('show')
    .description('Show a session and, with --events, its normalized events')
    .argument('<session_id>')
    .option('--events', 'print the events too')
    .action(async (id: string, o: { events?: boolean }, self: Command) => {
      const ctx = await openContext(self);
      const session = await getSession(ctx.paths, id);
      const events = o.events ? await readEventsArray(ctx.paths, id) : undefined;
      if (ctx.json) return printJson(events ? { ...session, events } : session);
      printLines([
        `${session.id}  ${session.kind} (${session.format})`,
        `  source:   ${session.source.path} (${session.source.bytes} bytes${session.source.gzip ? ', gzip' : ''})`,
        `  events:   ${session.event_count}, lines: ${session.line_count}`,
        `  when:     ${session.started_at ?? 'unknown'} → ${session.ended_at ?? 'unknown'}`,
        ...(session.outcome ? [`  outcome:  ${JSON.stringify(session.outcome)}`] : []),
        ...session.warnings.map((w) => `  warning:  line ${w.line}: ${w.message}`),
      ]);
      for (const e of events ?? []) {
        const text = 'content' in e ? e.content.map((b) => b.text).join(' ') : `${e.name} ${JSON.stringify(e.input)}`;
        const where = e.source_lines ? ` L${e.source_lines[0]}-${e.source_lines[1]}` : '';
        printLines([`${e.id} ${e.type}${where}: ${text.replace(/\s+/g, ' ').slice(0, 160)}`]);
      }
    });

  return cmd;
}
