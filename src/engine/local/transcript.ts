/**
 * Agent-transcript findings: failing tool calls (keyed by a masked error signature so the same
 * error in another session merges) and workarounds (a failed call followed later by a successful
 * call of the same intent: what worked instead).
 */
import type { Session, SessionEvent } from '../../sessions/schema.ts';
import type { Evidence, Finding } from '../findings.ts';
import { splitLines } from '../../core/lines.ts';
import { classifyLine } from './log-rules.ts';
import { commandShape, maskText } from './mask.ts';
import { quoteOf, shortHash, shorten } from './text.ts';
import { toolCalls, type ToolCall } from './tool-calls.ts';
import { failureFamily, type FailureFamily } from './failure-family.ts';

export interface TranscriptContext {
  session: Session;
  sequence: number;
}

export interface CallFailure {
  signature: string;
  exception: string | null;
  commandShape: string;
  /** The output line that shows the error, verbatim (trimmed): the evidence quote. */
  errorLine: string;
  /** The coarse signature shared by variants of this failure (see failure-family.ts). */
  family: FailureFamily | null;
  /** What the output says, masked: the part of the signature a transcript shows (grep-able). */
  error: string;
}

// The exception-line rule of the SWE-bench silver signal: an optional pytest `E` marker, then a
// (dotted) name ending in Error or Exception, then a colon.
// Private classes (`numpy.core._exceptions._UFuncNoLoopError`) count too.
const EXCEPTION = /^(?:E[ \t]+)?[ \t]*((?:[A-Za-z_][A-Za-z0-9_]*\.)*_*[A-Z][A-Za-z0-9_]*(?:Error|Exception)):(.*)$/;
const TRACEBACK = /^Traceback \(most recent call last\)/m;
const TEXT_FAILURE = /command not found|No such file or directory|^=+ .*\b\d+ (?:failed|errors?)\b|^FAILED |AssertionError/m;
// Wrapper tags of text-only agents' results; removed from a line before it is read.
// The exit status tag goes with its number, which is not output.
const TAGS = /<returncode>\s*-?\d+\s*<\/returncode>|<\/?(?:returncode|output|output_head|output_tail|elided_chars|warning)>/g;

/** Why a call failed, or null when it did not. */
export function callFailure(call: ToolCall): CallFailure | null {
  const out = call.output;
  const traceback = TRACEBACK.test(out);
  const failed =
    call.isError === true ||
    (call.returnCode !== null && call.returnCode !== 0) ||
    traceback ||
    // Without an exit status or error flag, the text is all there is.
    (call.isError === null && call.returnCode === null && (TEXT_FAILURE.test(out) || hasException(out))) ||
    // Code that ran, exited 0 and still printed an exception (a reproduction script catching it).
    (call.returnCode === 0 && runsCode(call.command) && hasException(out));
  if (!failed || benignExit(call)) return null;

  const shape = call.command ? commandShape(call.command) : call.target ? `${call.tool} <PATH>` : call.tool;
  const lines = splitLines(out)
    .map((l) => l.replace(TAGS, ''))
    .filter((l) => l.trim() !== '');
  const exc = lastException(lines);
  if (exc) {
    const message = shorten(maskText(exc.message), 150);
    return {
      signature: message === '' ? exc.name : `${exc.name}: ${message}`,
      exception: exc.name,
      commandShape: shape,
      errorLine: quoteOf(exc.line),
      error: message === '' ? exc.name : `${exc.name}: ${message}`,
      family: failureFamily(exc.name, programOf(call), exc.line),
    };
  }
  const errLine = lines.find((l) => (classifyLine(l.trim())?.score ?? 0) >= 4) ?? lines[0] ?? '';
  const masked = shorten(maskText(errLine), 150);
  const what = masked === '' ? `exit ${call.returnCode ?? 'error'}` : masked;
  return {
    // The intent (program and sub-command), not the full shape: `npm test` and
    // `npm test -- one.test.ts` failing the same way are one recurring failure.
    signature: `${callIntent(call).replace(':', ' ')}: ${what}`.replace(/^bash bash /, 'bash '),
    exception: null,
    commandShape: shape,
    errorLine: quoteOf(errLine),
    error: what,
    family: failureFamily(null, programOf(call), errLine.trim()),
  };
}

// Programs whose exit status 1 answers a question ("no match", "files differ") rather than
// reporting an error: `grep -r foo src | head` finding nothing is not a failure.
const ANSWERING = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'diff', 'cmp', 'test', '[', 'git diff', 'find']);

function benignExit(call: ToolCall): boolean {
  // Only a reported exit status of 1: an error flag alone does not say which kind of exit it was.
  if (call.returnCode !== 1 || !call.command) return false;
  const segments = commandShape(call.command).split(/\s(?:&&|\|\||;|\|)\s/);
  const last = (segments.at(-1) ?? '').split(' ');
  const program = last[0] === 'git' ? `git ${last[1] ?? ''}` : (last[0] ?? '');
  if (!ANSWERING.has(program)) return false;
  const body = splitLines(call.output).map((l) => l.replace(TAGS, '').trim());
  return !body.some((l) => (classifyLine(l)?.score ?? 0) >= 4 || EXCEPTION.test(l) || /command not found|No such file/.test(l));
}

/** The program a call ran (first word of its intent), or the tool's name for non-shell tools. */
export function programOf(call: ToolCall): string {
  if (!call.command) return call.tool.toLowerCase();
  const head = callIntent(call).slice(call.tool.length + 1);
  return head.split(' ')[0] || call.tool.toLowerCase();
}

// A command that executes code (rather than viewing files, whose text may quote exceptions).
function runsCode(command: string | null): boolean {
  if (!command) return false;
  const first = command.trim().split('\n')[0] ?? '';
  return /\b(?:python\d?(?:\.\d+)?|pytest|py\.test|node|tox)\b/.test(first) && !/^(?:cat|grep|nl|sed|head|tail|less|ls|find)\b/.test(first);
}

function hasException(text: string): boolean {
  return splitLines(text).some((l) => EXCEPTION.test(l));
}

/** The exception that surfaced: the last exception line (after a traceback, the final raise). */
function lastException(lines: string[]): { name: string; message: string; line: string } | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = EXCEPTION.exec(lines[i]!);
    if (m) return { name: m[1]!, message: m[2]!.trim(), line: lines[i]! };
  }
  return null;
}

/**
 * What a call is trying to do, for matching a failure with the call that later succeeded: the
 * program and sub-command of the first real step (`cd x &&` skipped), or the tool and file.
 */
export function callIntent(call: ToolCall): string {
  if (call.command) {
    const segments = commandShape(call.command).split(/\s(?:&&|\|\||;|\|)\s/);
    const seg = segments.find((s) => !/^(?:cd|export|source|set|\.)\b/.test(s)) ?? segments[0] ?? '';
    const head = seg.split(' ').filter((w) => !w.startsWith('-'));
    const stop = head.indexOf('<ARG>');
    return `${call.tool.toLowerCase()}:${(stop < 0 ? head : head.slice(0, stop)).slice(0, 3).join(' ')}`;
  }
  return `${call.tool.toLowerCase()}:${call.target ?? ''}`;
}

// Words that only say how a command runs, not what it does.
const RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun', 'npx', 'pnpx', 'python', 'python3', 'uv', 'run', 'poetry', 'pipenv', 'sudo', 'env', 'exec', 'bundle']);

/**
 * A later shell command that repeats what the failed one did — every word of it except the
 * runner — through another runner: `npm test` → `pnpm install && pnpm test`,
 * `python x.py` → `uv run python x.py`. Same tool, changed input, same intent.
 */
export function retriesWithAnotherRunner(failed: ToolCall, later: ToolCall): boolean {
  if (!failed.command || !later.command || failed.tool !== later.tool) return false;
  const words = (cmd: string) => cmd.split(/[\s;&|]+/).filter((w) => w !== '');
  const what = words(failed.command).filter((w) => !RUNNERS.has(w));
  if (what.length === 0) return false;
  const have = new Set(words(later.command));
  return what.every((w) => have.has(w)) && later.command.trim() !== failed.command.trim();
}

export function transcriptFindings(events: readonly SessionEvent[], ctx: TranscriptContext): Finding[] {
  const calls = toolCalls(events);
  const failures = calls.map((c) => callFailure(c));
  const findings: Finding[] = [];
  const bySignature = new Map<string, { finding: Finding; first: number }>();

  calls.forEach((call, i) => {
    const f = failures[i];
    if (!f) return;
    const seen = bySignature.get(f.signature);
    if (seen) {
      seen.finding.attributes.failed_calls = Number(seen.finding.attributes.failed_calls) + 1;
      if (seen.finding.evidence.length < 3) seen.finding.evidence.push(resultEvidence(call, f, ctx));
      return;
    }
    const finding = failureFinding(call, f, ctx);
    bySignature.set(f.signature, { finding, first: i });
    findings.push(finding);
  });

  for (const [signature, { first }] of bySignature) {
    const call = calls[first]!;
    const intent = callIntent(call);
    let fixIdx = calls.findIndex((c, j) => j > first && failures[j] === null && callIntent(c) === intent);
    if (fixIdx < 0) fixIdx = calls.findIndex((c, j) => j > first && failures[j] === null && retriesWithAnotherRunner(call, c));
    if (fixIdx < 0) continue;
    findings.push(workaroundFinding(call, failures[first]!, calls.slice(first + 1, fixIdx), calls[fixIdx]!, signature, ctx));
  }
  return findings;
}

function observedAt(ev: SessionEvent, ctx: TranscriptContext): string | null {
  return ev.processed_at ?? ctx.session.started_at;
}

function resultEvidence(call: ToolCall, f: CallFailure, ctx: TranscriptContext): Evidence {
  return {
    session_id: ctx.session.id,
    event_id: call.result.id,
    lines: call.result.source_lines,
    quote: f.errorLine,
    observed_at: observedAt(call.result, ctx),
  };
}

function failureFinding(call: ToolCall, f: CallFailure, ctx: TranscriptContext): Finding {
  const attributes: Record<string, string | number | boolean> = {
    signature: f.signature,
    error: f.error,
    tool: call.tool,
    command_shape: f.commandShape,
    // Calls within this session; "seen in N sessions" is the merger's count across sessions.
    failed_calls: 1,
  };
  if (f.exception) attributes.exception = f.exception;
  if (f.family) {
    attributes.family_key = familyKey(f.family);
    attributes.family = f.family.label;
    if (f.family.program) attributes.program = f.family.program;
  }
  if (call.returnCode !== null) attributes.exit_code = call.returnCode;
  const title = f.exception
    ? `${f.exception} when running \`${shorten(f.commandShape, 80)}\`: ${shorten(f.signature, 160)}`
    : `Tool call fails: ${shorten(f.signature, 200)}`;
  return {
    kind: 'failure',
    key: `tool:${shortHash(f.signature)}`,
    title: shorten(title, 300),
    body:
      `A ${call.tool} call shaped \`${f.commandShape}\` failed` +
      (call.returnCode !== null ? ` with exit code ${call.returnCode}` : '') +
      (f.exception ? `, raising ${f.exception}` : '') +
      `. Error: ${shorten(maskText(f.errorLine), 300)}`,
    value: null,
    observed_at: observedAt(call.result, ctx),
    sequence: ctx.sequence,
    evidence: [resultEvidence(call, f, ctx)],
    attributes,
    confidence: call.isError === true || (call.returnCode ?? 0) !== 0 ? 0.6 : 0.4,
  };
}

/** The key of a failure family's memory (see transcript-rollup.ts). */
export function familyKey(family: FailureFamily): string {
  return `tool-family:${shortHash(family.id)}`;
}

function commandLine(call: ToolCall): string {
  const text = call.command ?? (call.target ? `${call.tool} ${call.target}` : call.tool);
  return shorten(maskText(text.split('\n')[0] ?? ''), 160);
}

function workaroundTitle(failed: string, error: string, worked: string, steps: string[]): string {
  const head = `When \`${shorten(failed, 60)}\` fails with ${shorten(error, 80)}`;
  if (worked !== failed) return shorten(`${head}, \`${shorten(worked, 80)}\` worked instead`, 300);
  const first = steps[0] ? `after \`${shorten(steps[0], 40)}\`` : 'later';
  return shorten(`${head}, rerunning it ${first} worked`, 300);
}

function workaroundFinding(
  failed: ToolCall,
  f: CallFailure,
  between: ToolCall[],
  fix: ToolCall,
  signature: string,
  ctx: TranscriptContext,
): Finding {
  const steps = [...new Set(between.map((c) => commandLine(c)))].slice(0, 3);
  const evidence: Evidence[] = [resultEvidence(failed, f, ctx)];
  if (fix.use && fix.useQuote) {
    evidence.push({
      session_id: ctx.session.id,
      event_id: fix.use.id,
      lines: fix.use.source_lines,
      quote: quoteOf(fix.useQuote),
      observed_at: observedAt(fix.use, ctx),
    });
  } else {
    const line = splitLines(fix.output).map((l) => l.replace(TAGS, '')).find((l) => l.trim() !== '');
    if (line) {
      evidence.push({
        session_id: ctx.session.id,
        event_id: fix.result.id,
        lines: fix.result.source_lines,
        quote: quoteOf(line),
        observed_at: observedAt(fix.result, ctx),
      });
    }
  }
  const worked = commandLine(fix);
  return {
    kind: 'workaround',
    key: `fix:${shortHash(signature)}`,
    title: workaroundTitle(commandLine(failed), f.error, worked, steps),
    body:
      `\`${commandLine(failed)}\` failed (${shorten(signature, 200)}). ` +
      (steps.length > 0 ? `After ${steps.map((s) => `\`${s}\``).join(', ')}, ` : 'Later, ') +
      `\`${worked}\` succeeded in the same session.`,
    value: worked,
    observed_at: observedAt(fix.result, ctx),
    sequence: ctx.sequence,
    evidence,
    attributes: {
      signature,
      error: f.error,
      tool: fix.tool,
      command_shape: fix.command ? commandShape(fix.command) : fix.tool,
      failed_command_shape: f.commandShape,
      failed_command: commandLine(failed),
      steps_between: between.length,
      ...(steps.length > 0 ? { steps: steps.join(' ; ') } : {}),
    },
    confidence: 0.5,
  };
}
