import type { Command } from 'commander';
import type { Logger } from 'pino';
import { resolveRoot, type RootPaths } from '../core/root.ts';
import { resumeOrphans } from '../coordinator/resume.ts';
import { createLogger } from './logger.ts';
import { Progress } from './progress.ts';

export interface GlobalOptions {
  root?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export interface Context {
  paths: RootPaths;
  json: boolean;
  log: Logger;
  progress: Progress;
}

/**
 * Open the shared filesystem for a command. A dream left running by a killed process is resumed
 * here first, so nothing stays half-done (`dream resume` does the same on demand).
 */
export async function openContext(cmd: Command, opts: { resume?: boolean } = {}): Promise<Context> {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const ctx: Context = {
    paths: resolveRoot(g.root),
    json: Boolean(g.json),
    log: createLogger(g.verbose),
    progress: new Progress(Boolean(g.quiet)),
  };
  if (opts.resume !== false) {
    await resumeOrphans(ctx.paths, {}, (d) => ctx.progress.line(`resuming dream ${d.id} left ${d.status} by a process that is gone…`));
  }
  return ctx;
}
