import { Command, CommanderError } from 'commander';
import { ExitCode } from '../core/errors.ts';
import { reportError } from './output.ts';
import { runCommand } from './commands/run.ts';
import { dreamCommands } from './commands/dreams.ts';
import { sessionsCommand } from './commands/sessions.ts';
import { diffCommand, storesCommand } from './commands/stores.ts';
import { logsCommand } from './commands/logs.ts';
import { quarantineCommand } from './commands/quarantine.ts';
import { exportCommand } from './commands/export.ts';
import { watchCommand } from './commands/watch.ts';
import { serveCommand } from './commands/serve.ts';
import { compareCommand, strategiesCommand } from './commands/compare.ts';
import { promoteCommand } from './commands/promote.ts';
import { rollbackCommand } from './commands/rollback.ts';
import { reviewCommand, reviewsCommand } from './commands/review.ts';
import { tierCommand } from './commands/tier.ts';

const program = new Command('dream')
  .description('dreamwork: consolidate agent transcripts and build logs into a reviewable, plain-text memory store')
  .option('--root <dir>', 'shared filesystem root (default: $DREAM_ROOT or ./shared-fs)')
  .option('--json', 'print machine-readable JSON on stdout')
  .option('--quiet', 'no progress on stderr')
  .option('--verbose', 'more logs on stderr (pino)')
  .showHelpAfterError()
  .exitOverride()
  .addHelpText(
    'after',
    `
Exit codes: 0 completed · 1 internal error · 2 bad input · 3 dream failed · 4 grader not satisfied ·
            5 dream canceled · 6 not found · 7 conflict

Example:
  dream run 'examples/sessions/**/*'     # dream over the bundled examples, print where the store is`,
  );

program.addCommand(runCommand());
for (const c of dreamCommands()) program.addCommand(c);
program.addCommand(sessionsCommand());
program.addCommand(storesCommand().addCommand(tierCommand()));
program.addCommand(diffCommand());
program.addCommand(logsCommand());
program.addCommand(quarantineCommand());
program.addCommand(exportCommand());
program.addCommand(watchCommand());
program.addCommand(serveCommand());
program.addCommand(compareCommand());
program.addCommand(strategiesCommand());
program.addCommand(promoteCommand());
program.addCommand(rollbackCommand());
program.addCommand(reviewCommand());
program.addCommand(reviewsCommand());

function applyExitOverride(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) applyExitOverride(sub);
}
applyExitOverride(program);

const json = process.argv.includes('--json');
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    process.exitCode = e.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  } else {
    process.exitCode = reportError(e, json);
  }
}
