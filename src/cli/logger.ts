import { pino, type Logger } from 'pino';

/**
 * pino logs go to stderr so stdout stays clean for `--json`. Quiet by default on the CLI
 * (warnings only); DREAM_LOG_LEVEL=info|debug or --verbose for more.
 */
export function createLogger(verbose = false): Logger {
  const level = process.env.DREAM_LOG_LEVEL ?? (verbose ? 'info' : 'warn');
  return pino({ level, base: undefined }, pino.destination(2));
}
