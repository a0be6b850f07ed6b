/** experiment.json: everything needed to rerun a comparison and to know what it ran on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Session } from '../sessions/schema.ts';
import type { CompareRequest } from './request.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${head}+uncommitted` : head;
  } catch {
    return null;
  }
}

/** A shell-safe rendering of argv: what to paste to rerun. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function experimentRecord(id: string, req: CompareRequest, sessions: readonly Session[], runs: { strategy: string; repeat: number; dreams: string[]; store: string | null }[]) {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    id,
    command: shellLine(req.argv),
    argv: req.argv,
    dreamwork_version: pkg.version,
    node_version: process.version,
    git_commit: gitCommit(),
    seed: req.seed,
    repeat: req.repeat,
    engine: req.engine,
    replay: req.replay,
    workers: req.workers,
    max_sessions: req.maxSessions,
    cwd: process.cwd(),
    strategies: req.strategies,
    input_store: req.storeId,
    inputs: sessions.map((s) => ({ session_id: s.id, path: s.source.path, bytes: s.source.bytes, sha256: s.source.sha256 })),
    runs,
  };
}
