/**
 * Template mining throughput: lines per second on one thread, reading and masking included, on
 * at least 5 million lines built by cycling the real logs in ../shared/data (Loghub, LogChunks,
 * CiDiff). The synthetic input is written to a temp file once (kept for reruns), then streamed
 * through the miner exactly as `dream logs templates` reads a file.
 * Usage: npm run bench -- templates [--lines N] [--no-cache-run]
 */
import { createWriteStream } from 'node:fs';
import { readFile, rename, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fg from 'fast-glob';
import { mineFile } from '../src/engine/local/templates/mine-files.ts';
import { TemplateMiner } from '../src/engine/local/templates/miner.ts';
import type { BenchResult } from './run.ts';

const DATA = resolve(import.meta.dirname, '../../shared/data');

/** Write `target` lines cycling the real logs (sorted, so the input is the same on every machine). */
async function buildInput(target: number): Promise<{ path: string; lines: number; bytes: number; sources: number }> {
  const sources = (await fg(['loghub_2k/*/*.log', 'logchunks/**/*.log', 'cidiff/*/*.log'], { cwd: DATA })).sort();
  if (sources.length === 0) throw new Error(`no logs found under ${DATA}`);
  const path = join(tmpdir(), `dreamwork-bench-templates-${target}.log`);
  const existing = await stat(path).catch(() => null);
  const texts: string[] = [];
  for (const s of sources) {
    let t = await readFile(join(DATA, s), 'utf8');
    if (!t.endsWith('\n')) t += '\n';
    texts.push(t);
  }
  const perCycle = texts.reduce((n, t) => n + (t.match(/\n/g)?.length ?? 0), 0);
  const cycles = Math.ceil(target / perCycle);
  if (existing) return { path, lines: cycles * perCycle, bytes: existing.size, sources: sources.length };
  const out = createWriteStream(path + '.tmp');
  for (let c = 0; c < cycles; c++) {
    for (const t of texts) {
      if (!out.write(t)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'close');
  await rename(path + '.tmp', path);
  return { path, lines: cycles * perCycle, bytes: (await stat(path)).size, sources: sources.length };
}

interface Run {
  label: string;
  lines: number;
  seconds: number;
  /** CPU time of the process over the run: on a shared machine, wall time also counts waiting. */
  cpuSeconds: number;
  linesPerSecond: number;
  templates: number;
}

async function timeRun(label: string, path: string, cacheSize?: number): Promise<Run> {
  const miner = new TemplateMiner(cacheSize === undefined ? {} : { cacheSize });
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const { lines } = await mineFile(path, miner);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { label, lines, seconds, cpuSeconds, linesPerSecond: Math.round(lines / seconds), templates: miner.templates().length };
}

export async function run(args: string[]): Promise<BenchResult> {
  const { values } = parseArgs({ args, strict: false, options: { lines: { type: 'string', default: '5000000' }, 'no-cache-run': { type: 'boolean' } } });
  const target = Number(values.lines);
  if (!Number.isInteger(target) || target <= 0) throw new Error(`--lines: expected a positive integer, got ${String(values.lines)}`);
  const input = await buildInput(target);
  const runs = [await timeRun('default (raw-line cache on)', input.path)];
  if (values['no-cache-run']) runs.push(await timeRun('line caches off (every line masked and routed through the tree)', input.path, 0));
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const rows = runs.map(
    (r) =>
      `| ${r.label} | ${r.lines.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${r.linesPerSecond.toLocaleString('en-US')} | ${r.templates.toLocaleString('en-US')} |`,
  );
  const load = loadavg()[0]!.toFixed(2);
  const markdown = [
    `Input: ${input.lines.toLocaleString('en-US')} lines, ${(input.bytes / 1e6).toFixed(0)} MB, cycling ${input.sources} real logs from ../shared/data (Loghub 2k, LogChunks, CiDiff). One thread; reading, line splitting, masking and the Drain tree are all timed.`,
    '',
    '| run | lines | seconds | CPU seconds | lines/s | templates |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Peak RSS of the benchmark process: ${peakRssMb} MB. Load average when it finished: ${load} (${cpus().length} CPUs). Target: ≥ 500,000 lines/s.`,
    '',
    'The input repeats every ~282,000 lines, but the raw-line cache (65,536 lines, also dropped every 16 M characters) cannot hold a whole cycle: its hit rate is the same on the first pass as on later ones (about 74 %), from lines repeated within a stretch of log, as CI output does. The caches-off run (`--no-cache-run`) is the cost when no line repeats.',
  ].join('\n');
  const main = runs[0]!;
  return {
    name: 'templates',
    summary: `Template mining: ${main.linesPerSecond.toLocaleString('en-US')} lines/s on one thread over ${main.lines.toLocaleString('en-US')} lines, ${main.templates} templates, peak RSS ${peakRssMb} MB.`,
    markdown,
    json: { input: { lines: input.lines, bytes: input.bytes, sources: input.sources }, runs, peak_rss_mb: peakRssMb, load_average: Number(load), target_lines_per_second: 500000 },
  };
}
