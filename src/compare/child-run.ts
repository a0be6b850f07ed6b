/**
 * One strategy run: the real `dream` CLI in a child process (`dream create` over sessions
 * already imported), so wall time and peak memory belong to that run alone. Peak RSS is the
 * child's VmHWM (worker threads share its address space), polled from /proc until it exits, as
 * bench/dream.ts does; the task pool's busy time comes back through DREAM_POOL_STATS.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DreamworkError } from '../core/errors.ts';

const BIN = fileURLToPath(new URL('../../bin/dream.js', import.meta.url));

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wall_ms: number;
  /** null where /proc is not available (not Linux). */
  peak_rss_mb: number | null;
  /** Summed over the task pools the run made (one per dream chain). */
  busy_ms: number;
  threads: number;
}

async function hwmKb(pid: number): Promise<number | null> {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  } catch {
    return null; // ended, or no /proc
  }
}

export async function runChild(root: string, args: readonly string[]): Promise<ChildRun> {
  const dir = await mkdtemp(join(tmpdir(), 'dw-compare-'));
  const stats = join(dir, 'pool-stats.jsonl');
  try {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, '--root', root, '--quiet', '--json', ...args], {
      env: { ...process.env, DREAM_POOL_STATS: stats, DREAM_LOG_LEVEL: process.env.DREAM_LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peak: number | null = null;
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      void hwmKb(child.pid).then((kb) => {
        if (kb !== null && !Number.isNaN(kb)) peak = Math.max(peak ?? 0, kb);
      });
    }, 50);
    const code = await new Promise<number | null>((done, fail) => {
      child.on('error', fail);
      child.on('close', done);
    }).finally(() => clearInterval(poll));
    const wall = Number(process.hrtime.bigint() - started) / 1e6;
    let busy = 0;
    let threads = 0;
    const text = await readFile(stats, 'utf8').catch(() => '');
    for (const line of text.split('\n').filter(Boolean)) {
      const s = JSON.parse(line) as { threads: number; busy_ms: number };
      busy += s.busy_ms;
      threads = Math.max(threads, s.threads);
    }
    return { code, stdout, stderr, wall_ms: wall, peak_rss_mb: peak === null ? null : Math.round(peak / 102.4) / 10, busy_ms: busy, threads };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The dream a child printed (--json), or an error carrying its stderr. */
export function childDream(run: ChildRun, label: string): { id: string; status: string } {
  try {
    return JSON.parse(run.stdout) as { id: string; status: string };
  } catch {
    throw new DreamworkError('compare_run_failed', `${label}: dream exited ${run.code} without a dream: ${run.stderr.trim().slice(-2000)}`);
  }
}
