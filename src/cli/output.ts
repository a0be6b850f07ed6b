import { DreamworkError, ExitCode, isDreamworkError } from '../core/errors.ts';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printLines(lines: string[]): void {
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
}

/** A table of rows for people; columns padded to the widest cell. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  printLines([fmt(headers), ...rows.map(fmt)]);
}

/** Print an error the way a person can act on it and return the documented exit code. */
export function reportError(e: unknown, json: boolean): number {
  if (isDreamworkError(e)) {
    if (json) printJson({ type: 'error', error: { type: e.type, code: e.code, message: e.message } });
    else process.stderr.write(`dream: ${e.message}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  if (json) printJson({ type: 'error', error: { type: 'api_error', code: 'internal', message: err.message } });
  else process.stderr.write(`dream: internal error: ${err.stack ?? err.message}\n`);
  return ExitCode.internal;
}

export { DreamworkError };
