import { Command } from 'commander';
import { logsTemplatesCommand } from './logs-templates.ts';
import { logsFailureCommand } from './logs-failure.ts';

/** `dream logs …`: the build-log analyses of the local engine, on files, for people and evals. */
export function logsCommand(): Command {
  return new Command('logs')
    .description('Analyze build log files directly: template mining and failure signatures')
    .addCommand(logsTemplatesCommand())
    .addCommand(logsFailureCommand());
}
