/**
 * What a build log says about its run: which job it is, which revision it built, and how it
 * ended. Streaming, one line at a time, bounded memory; only lines that pass a cheap pre-check
 * are looked at closely. No per-CI rules beyond the common phrasings of the big CI systems.
 */
import { visibleText } from '../../core/lines.ts';
import type { Evidence } from '../findings.ts';
import { quoteOf } from './text.ts';

// Cheap gate: a line that mentions none of these cannot carry job, revision or status.
const GATE = /git|HEAD|Revision|workspace|[Rr]epository|exit|BUILD|Finished|[Jj]ob |Checking out|succeeded|failed|FAILURE|SUCCESS/;

const JOB_PATTERNS: RegExp[] = [
  /git clone\b.*?https?:\/\/[^/\s]+\/([\w.-]+\/[\w.-]+?)(?:\.git)?(?:\s|$)/, // Travis, scripts
  /Syncing repository:\s+([\w.-]+\/[\w.-]+)/, // GitHub Actions checkout
  /Building in workspace\s+\S*?\/workspace\/([^/\s]+)/, // Jenkins
];

const REVISION_PATTERNS: RegExp[] = [
  /HEAD is now at ([0-9a-f]{7,40})\b/,
  /Checking out Revision ([0-9a-f]{7,40})\b/, // Jenkins
  /git checkout -qf ([0-9a-f]{7,40})\b/, // Travis with a commit
  /Checking out ([0-9a-f]{8,40}) as\b/, // GitLab
];

// Explicit run outcomes. The last one in the log wins (retries print several).
const STATUS_PATTERNS: { re: RegExp; status: 'passed' | 'failed' }[] = [
  { re: /Done\. Your build exited with 0\b/, status: 'passed' },
  { re: /Done\. Your build exited with [1-9]\d*/, status: 'failed' },
  { re: /Process completed with exit code 0\b/, status: 'passed' },
  { re: /Process completed with exit code [1-9]\d*/, status: 'failed' },
  { re: /\bBUILD SUCCESS(?:FUL)?\b/, status: 'passed' },
  { re: /\bBUILD FAILURE\b|\bBUILD FAILED\b/, status: 'failed' },
  { re: /^Finished: SUCCESS\b/, status: 'passed' },
  { re: /^Finished: (?:FAILURE|UNSTABLE|ABORTED)\b/, status: 'failed' },
  { re: /^Job succeeded\b/, status: 'passed' },
  { re: /^(?:ERROR: )?Job failed\b/, status: 'failed' },
];

const MAX_LOOK = 2048;

export interface RunInfo {
  job: string | null;
  revision: string | null;
  revisionEvidence: Evidence | null;
  status: 'passed' | 'failed' | null;
  statusEvidence: Evidence | null;
  endEvidence: Evidence | null;
}

export class RunInfoScanner {
  private readonly info: RunInfo = { job: null, revision: null, revisionEvidence: null, status: null, statusEvidence: null, endEvidence: null };
  private last: { raw: string; lineNo: number; eventId: string | null; observedAt: string | null } | null = null;

  constructor(private readonly sessionId: string) {}

  push(raw: string, lineNo: number, eventId: string | null, observedAt: string | null): void {
    const head = raw.length > MAX_LOOK ? raw.slice(0, MAX_LOOK) : raw;
    if (head.trim() !== '') this.last = { raw: head, lineNo, eventId, observedAt };
    if (!GATE.test(head)) return;
    const text = visibleText(head);
    const evidence = (m: RegExpExecArray): Evidence => ({
      session_id: this.sessionId,
      event_id: eventId,
      lines: [lineNo, lineNo],
      quote: quoteOf(m[0]),
      observed_at: observedAt,
    });
    if (this.info.job === null) {
      for (const re of JOB_PATTERNS) {
        const m = re.exec(text);
        if (m) {
          this.info.job = m[1]!.toLowerCase();
          break;
        }
      }
    }
    if (this.info.revision === null) {
      for (const re of REVISION_PATTERNS) {
        const m = re.exec(text);
        if (m) {
          this.info.revision = m[1]!.slice(0, 12);
          this.info.revisionEvidence = evidence(m);
          break;
        }
      }
    }
    for (const { re, status } of STATUS_PATTERNS) {
      const m = re.exec(text.trim());
      if (m) {
        this.info.status = status;
        this.info.statusEvidence = evidence(m);
        break;
      }
    }
  }

  result(): RunInfo {
    const last = this.last;
    const quote = last ? quoteOf(visibleText(last.raw)) : '';
    const endEvidence =
      last && quote !== ''
        ? { session_id: this.sessionId, event_id: last.eventId, lines: [last.lineNo, last.lineNo] as [number, number], quote, observed_at: last.observedAt }
        : null;
    return { ...this.info, endEvidence };
  }
}
