/**
 * Benchmarks: wall time, throughput and peak memory of whole dreams on real data
 * (../shared/data/logchunks: 197 failed CI logs, 16 MB), with 1 and with 2 workers.
 * Each configuration runs the real CLI in a fresh root, so import, extraction, merge, grading
 * and the store write are all counted. Usage: npm run bench [-- --repeat N] [-- --workers 1,2]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { BenchResult } from './run.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const REPO = resolve(import.meta.dirname, '..');
const DATA = resolve(REPO, '../shared/data');

interface Result {
  name: string;
  workers: number;
  seconds: number;
  peakRssMb: number;
  status: string;
}

function runCli(args: string[], root: string): Promise<{ seconds: number; peakRssMb: number; stdout: string; code: number | null }> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    // GNU time reports the peak RSS of the process tree's largest member; we use /proc polling
    // instead, summing the CLI process and its worker threads (threads share the process RSS).
    const child = spawn(process.execPath, [join(REPO, 'bin/dream.js'), '--root', root, '--quiet', '--json', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let peak = 0;
    const poll = setInterval(async () => {
      try {
        const { readFile } = await import('node:fs/promises');
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, kb);
      } catch {
        /* process ended */
      }
    }, 50);
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(poll);
      done({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peak / 1024, stdout, code });
    });
  });
}

export async function run(args: string[]): Promise<BenchResult> {
  const { values } = parseArgs({ args, options: { repeat: { type: 'string', default: '1' }, workers: { type: 'string', default: '1,2' } } });
  const repeat = Number(values.repeat);
  const workerCounts = values.workers!.split(',').map(Number);
  const logs = join(DATA, 'logchunks', '*', 'logs', '*.log');
  const results: Result[] = [];
  for (const workers of workerCounts) {
    for (let i = 0; i < repeat; i++) {
      const root = await mkdtemp(join(tmpdir(), 'dw-bench-'));
      const r = await runCli(['run', logs, '--workers', String(workers), '--batch-size', '10'], root);
      const dream = JSON.parse(r.stdout || '{}');
      results.push({ name: 'logchunks dream (197 logs, 16 MB)', workers, seconds: r.seconds, peakRssMb: r.peakRssMb, status: dream.status ?? `exit ${r.code}` });
      await rm(root, { recursive: true, force: true });
    }
  }
  const lines = ['| benchmark | workers | seconds | peak RSS (MB) | status |', '|---|---|---|---|---|'];
  for (const r of results) lines.push(`| ${r.name} | ${r.workers} | ${r.seconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${r.status} |`);
  return { name: 'dream', summary: 'Whole dreams through the real CLI, import included.', markdown: lines.join('\n'), json: results };
}
