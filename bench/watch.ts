/**
 * `npm run bench -- watch`: the time from a transcript landing in a watched directory to its
 * dream completing, on real inputs (LogChunks build logs and SWE-agent trajectories from
 * ../shared/data). A Watcher (the class behind `dream watch`) runs in this process with
 * --every 1, so each landed file triggers its own dream; files land one at a time, each after
 * the previous dream finished, so every figure is one file's latency, not a queue's.
 *
 *   landed ──settle (size+mtime stable)──► imported ──► dream_started ──► dream_finished
 *
 * Run at the default settle interval (2 s) and a short one (250 ms): the settle interval is a
 * floor on the latency by design. Results also go to bench/results/watch.json.
 *
 * Usage: npm run bench -- watch [--files N] (N per source, default 3)
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RootPaths } from '../src/core/root.ts';
import { buildWatchConfig, WATCH_DEFAULTS } from '../src/watch/config.ts';
import type { WatchEvent } from '../src/watch/events.ts';
import { Watcher } from '../src/watch/watcher.ts';
import type { BenchResult } from './run.ts';

const REPO = resolve(import.meta.dirname, '..');
const DATA = resolve(REPO, '../shared/data');

interface Sample {
  settleMs: number;
  source: string;
  file: string;
  bytes: number;
  toImportedMs: number;
  toStartedMs: number;
  dreamMs: number;
  totalMs: number;
  status: string;
}

async function inputs(perSource: number): Promise<{ source: string; path: string }[]> {
  const chunks = join(DATA, 'logchunks');
  const logs: string[] = [];
  for (const repo of (await readdir(chunks)).sort()) {
    const dir = join(chunks, repo, 'logs');
    const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.log')).sort();
    if (names[0]) logs.push(join(dir, names[0]));
    if (logs.length >= perSource) break;
  }
  const swe = join(DATA, 'swe_trajectories');
  const trajectories = (await readdir(swe))
    .filter((n) => n.endsWith('.json') && n !== 'labels.json')
    .sort()
    .slice(0, perSource);
  return [
    ...logs.map((path) => ({ source: 'logchunks', path })),
    ...trajectories.map((n) => ({ source: 'swe', path: join(swe, n) })),
  ];
}

function nextEvent(
  events: WatchEvent[],
  type: WatchEvent['type'],
  after: number,
  timeoutMs = 300_000,
): Promise<WatchEvent> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolveEvent, reject) => {
    const poll = () => {
      const e = events.slice(after).find((x) => x.type === type);
      if (e) return resolveEvent(e);
      if (Date.now() > deadline) return reject(new Error(`no ${type} event within ${timeoutMs} ms`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

async function runOnce(settleMs: number, files: { source: string; path: string }[]): Promise<Sample[]> {
  const root = await mkdtemp(join(tmpdir(), 'dw-bench-watch-root-'));
  const dir = await mkdtemp(join(tmpdir(), 'dw-bench-watch-in-'));
  const config = await buildWatchConfig({ dirs: [dir], every: 1, settleMs, request: { workers: 1 } });
  const watcher = new Watcher(new RootPaths(root), config);
  const events: WatchEvent[] = [];
  watcher.on('event', (e) => events.push(e));
  await watcher.start();
  const samples: Sample[] = [];
  try {
    for (const f of files) {
      const mark = events.length;
      await copyFile(f.path, join(dir, basename(f.path)));
      const landed = Date.now();
      const imported = await nextEvent(events, 'imported', mark);
      const started = await nextEvent(events, 'dream_started', mark);
      const finished = await nextEvent(events, 'dream_finished', mark);
      const t = (e: WatchEvent) => Date.parse(e.at) - landed;
      samples.push({
        settleMs,
        source: f.source,
        file: basename(f.path),
        bytes: (await stat(f.path)).size,
        toImportedMs: t(imported),
        toStartedMs: t(started),
        dreamMs: Date.parse(finished.at) - Date.parse(started.at),
        totalMs: t(finished),
        status: finished.type === 'dream_finished' ? finished.status : '?',
      });
    }
  } finally {
    await watcher.stop();
    await rm(root, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
  return samples;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}

export async function run(args: string[]): Promise<BenchResult> {
  const { values } = parseArgs({ args, options: { files: { type: 'string', default: '3' } }, strict: false });
  const files = await inputs(Number(values.files));
  const samples: Sample[] = [];
  for (const settleMs of [WATCH_DEFAULTS.settleMs, 250]) samples.push(...(await runOnce(settleMs, files)));

  const rows = samples.map(
    (s) =>
      `| ${s.settleMs} | ${s.source} | ${s.file} | ${(s.bytes / 1024).toFixed(0)} | ${s.toImportedMs} | ${s.toStartedMs} | ${s.dreamMs} | **${s.totalMs}** | ${s.status} |`,
  );
  const summaries = [WATCH_DEFAULTS.settleMs, 250].map((settle) => {
    const xs = samples.filter((s) => s.settleMs === settle);
    return {
      settleMs: settle,
      files: xs.length,
      medianTotalMs: median(xs.map((s) => s.totalMs)),
      maxTotalMs: Math.max(...xs.map((s) => s.totalMs)),
      medianImportMs: median(xs.map((s) => s.toImportedMs - settle)),
      medianDreamMs: median(xs.map((s) => s.dreamMs)),
    };
  });
  const load = loadavg()[0]!.toFixed(2);
  const json = { node: process.version, at: new Date().toISOString(), load, summaries, samples };
  await mkdir(join(REPO, 'bench', 'results'), { recursive: true });
  await writeFile(join(REPO, 'bench', 'results', 'watch.json'), JSON.stringify(json, null, 2) + '\n');
  const markdown = [
    '| settle (ms) | files | median landed → dream completed (ms) | max (ms) | median import after settle (ms) | median dream (ms) |',
    '|---|---|---|---|---|---|',
    ...summaries.map(
      (s) =>
        `| ${s.settleMs} | ${s.files} | **${s.medianTotalMs}** | ${s.maxTotalMs} | ${s.medianImportMs} | ${s.medianDreamMs} |`,
    ),
    '',
    'Per file (times from the moment the file landed; one local-engine dream per file, 1 worker thread):',
    '',
    '| settle (ms) | source | file | KB | → imported | → dream started | dream | → completed (ms) | status |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Load average at the end: ${load} (a shared 2-core machine: other jobs show up in these times).`,
  ].join('\n');
  const d = summaries[0]!;
  return {
    name: 'watch',
    summary: `A transcript landing in a watched directory is dreamed over in a median ${d.medianTotalMs} ms at the default ${d.settleMs} ms settle interval (${summaries[1]!.medianTotalMs} ms at 250 ms).`,
    markdown,
    json,
  };
}
