/**
 * Load on `dream serve`: sustained requests/s and p50/p99 latency for memory reads (retrieve +
 * list) and memory writes (create + update), 50 concurrent clients on loopback.
 *
 *   bench process                                   server process (the real CLI)
 *   50 clients: official SDK (fetch, keep-alive) ─► node bin/dream.js serve --port 0
 *   closed loop: each sends its next request          over a fresh temp root, rate limits
 *   as soon as the previous one answers               set far above what the bench can reach
 *
 * The server runs in its own process (as `dream serve` does), so the load generator does not
 * steal its event loop; on a 2-core machine the two still share the CPUs, which the table's
 * load average shows. Phases (each `--seconds`, default 10, after a 1 s warm-up):
 *   - reads: half retrieve (view=full, ~1 KiB each) of random seeded memories, half list
 *     (one folder of 20 memories, basic view) — 200 memories seeded in 10 folders;
 *   - writes, one store per client: creates and updates alternate (at most 40 creates per
 *     client, then updates only, so the 2,000-memory limit is never reached);
 *   - writes, all clients on one store: the same mix, every write queued on one store's lock;
 *   - baselines: reads and writes from 1 client (min(--seconds, 5) s each), the service time
 *     of one request without queueing, to tell the server's cost from contention.
 *
 * Usage: npm run bench -- server [--clients 50] [--seconds 10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import type { BenchResult } from './run.ts';

const REPO = resolve(import.meta.dirname, '..');
const KEY = 'bench-key-0123456789abcdef';
const FOLDERS = 10;
const PER_FOLDER = 20;
const CREATES_PER_CLIENT = 40;

interface Server {
  url: string;
  child: ChildProcess;
  root: string;
}

async function startServer(): Promise<Server> {
  const root = await mkdtemp(join(tmpdir(), 'dw-bench-server-'));
  const child = spawn(
    process.execPath,
    ['bin/dream.js', '--root', root, '--json', 'serve', '--port', '0', '--creates-per-minute', '1000000000', '--reads-per-minute', '1000000000'],
    { cwd: REPO, env: { ...process.env, DREAM_API_KEYS: KEY, DREAM_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // Never leave a server behind, even when the bench itself crashes.
  process.once('exit', () => child.kill('SIGKILL'));
  let out = '';
  child.stdout!.setEncoding('utf8');
  const url = await new Promise<string>((ok, fail) => {
    // `--json` prints one (pretty-printed) object once listening; parse it once it is whole.
    child.stdout!.on('data', (d: string) => {
      out += d;
      try {
        ok((JSON.parse(out) as { url: string }).url);
      } catch {
        // not complete yet
      }
    });
    child.once('exit', (code) => fail(new Error(`dream serve exited with ${code} before listening`)));
  });
  return { url, child, root };
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode === null) {
    s.child.kill('SIGTERM');
    await once(s.child, 'exit');
  }
  await rm(s.root, { recursive: true, force: true });
}

function body(i: number): string {
  // ~1 KiB of Markdown, like a memory a dream writes.
  return `# Lesson ${i}\n\n${'When the build fails with ERESOLVE, pin the peer dependency and rerun npm ci. '.repeat(13)}\n`;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface OpStats {
  op: string;
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface PhaseResult {
  phase: string;
  seconds: number;
  load: number;
  total: OpStats;
  ops: OpStats[];
}

type Op = (client: number) => Promise<unknown>;

/**
 * Closed loop: `clients` workers, each picks its next operation and sends it as soon as the
 * previous one answered, until the deadline; latencies are recorded per operation name.
 */
async function phase(name: string, clients: number, seconds: number, next: (client: number, n: number) => [string, Op]): Promise<PhaseResult> {
  const lat = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const [op, run] = next(c, n);
        const s = performance.now();
        try {
          await run(c);
          const l = lat.get(op) ?? [];
          l.push(performance.now() - s);
          lat.set(op, l);
        } catch (e) {
          errors.set(op, (errors.get(op) ?? 0) + 1);
          if ((errors.get(op) ?? 0) === 1) process.stderr.write(`bench server: ${name}/${op}: ${(e as Error).message}\n`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const stats = (op: string, l: number[], errs: number): OpStats => {
    const sorted = [...l].sort((a, b) => a - b);
    return {
      op,
      requests: l.length,
      errors: errs,
      perSecond: Math.round(l.length / elapsed),
      p50Ms: Number(percentile(sorted, 50).toFixed(2)),
      p99Ms: Number(percentile(sorted, 99).toFixed(2)),
      maxMs: Number((sorted[sorted.length - 1] ?? NaN).toFixed(2)),
    };
  };
  const ops = [...lat.keys()].sort().map((op) => stats(op, lat.get(op)!, errors.get(op) ?? 0));
  const total = stats('all', [...lat.values()].flat(), [...errors.values()].reduce((a, b) => a + b, 0));
  return { phase: name, seconds: Number(elapsed.toFixed(2)), load: Number(loadavg()[0]!.toFixed(2)), total, ops };
}

/** Per client: create up to CREATES_PER_CLIENT memories, alternating with updates of its own. */
function writeMix(client: Anthropic, storeOf: (c: number) => string, tag: string): (c: number, n: number) => [string, Op] {
  const mine = new Map<number, string[]>();
  return (c, n) => {
    const ids = mine.get(c) ?? [];
    mine.set(c, ids);
    if (ids.length === 0 || (n % 2 === 0 && ids.length < CREATES_PER_CLIENT)) {
      return [
        'create',
        async () => {
          const m = await client.beta.memoryStores.memories.create(storeOf(c), { path: `/${tag}/c${c}/m${ids.length}-${n}.md`, content: body(n) });
          ids.push(m.id);
        },
      ];
    }
    const id = ids[n % ids.length]!;
    return ['update', () => client.beta.memoryStores.memories.update(id, { memory_store_id: storeOf(c), content: body(n) })];
  };
}

export async function run(args: string[]): Promise<BenchResult> {
  const { values } = parseArgs({ args, strict: false, options: { clients: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' } } });
  const clients = Number(values.clients);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(clients) || clients < 1) throw new Error(`--clients: expected a positive integer, got ${String(values.clients)}`);
  if (!(seconds > 0)) throw new Error(`--seconds: expected a positive number, got ${String(values.seconds)}`);

  const server = await startServer();
  try {
    // One SDK client shared by the workers, like an app's singleton; its fetch keeps connections alive.
    const sdk = new Anthropic({ baseURL: server.url, apiKey: KEY, maxRetries: 0, timeout: 60_000 });
    const m = sdk.beta.memoryStores.memories;
    const readStore = (await sdk.beta.memoryStores.create({ name: 'bench reads' })).id;
    const seeded: string[] = [];
    for (let f = 0; f < FOLDERS; f++) {
      const made = await Promise.all(Array.from({ length: PER_FOLDER }, (_, i) => m.create(readStore, { path: `/folder${f}/lesson${i}.md`, content: body(f * PER_FOLDER + i) })));
      seeded.push(...made.map((x) => x.id));
    }
    const readMix = (c: number, n: number): [string, Op] =>
      (c + n) % 2 === 0
        ? ['retrieve', () => m.retrieve(seeded[(c * 7919 + n * 104_729) % seeded.length]!, { memory_store_id: readStore })]
        : ['list', () => m.list(readStore, { path_prefix: `/folder${(c + n) % FOLDERS}/`, limit: PER_FOLDER })];

    await phase('warm-up', clients, 1, readMix);
    const results: PhaseResult[] = [];
    results.push(await phase('reads (retrieve + list)', clients, seconds, readMix));

    const perClient: string[] = [];
    for (let c = 0; c < clients; c++) perClient.push((await sdk.beta.memoryStores.create({ name: `bench writes ${c}` })).id);
    results.push(await phase('writes, one store per client', clients, seconds, writeMix(sdk, (c) => perClient[c]!, 'own')));

    const shared = (await sdk.beta.memoryStores.create({ name: 'bench shared writes' })).id;
    results.push(await phase('writes, all clients on one store', clients, seconds, writeMix(sdk, () => shared, 'shared')));

    // One client alone: the service time of a request, without queueing behind 49 others.
    const solo = Math.min(seconds, 5);
    results.push(await phase('baseline: reads, 1 client', 1, solo, readMix));
    const soloStore = (await sdk.beta.memoryStores.create({ name: 'bench solo writes' })).id;
    results.push(await phase('baseline: writes, 1 client', 1, solo, writeMix(sdk, () => soloStore, 'solo')));

    const rows = results.flatMap((r) =>
      [r.total, ...r.ops].map(
        (o) => `| ${o.op === 'all' ? `**${r.phase}**` : `↳ ${o.op}`} | ${o.requests.toLocaleString('en-US')} | ${o.errors} | ${o.perSecond.toLocaleString('en-US')} | ${o.p50Ms} | ${o.p99Ms} | ${o.maxMs} | ${o.op === 'all' ? r.load : ''} |`,
      ),
    );
    const markdown = [
      `${clients} concurrent clients (one official \`@anthropic-ai/sdk\` client, Node's fetch with keep-alive) against \`node bin/dream.js serve\` on 127.0.0.1 in its own process; closed loop, ${seconds} s per phase after a 1 s warm-up (baselines: 1 client, ${solo} s); rate limits set to 10⁹/min so they never interfere. Retrieves use view=full (~1 KiB content), lists return 20 memories in basic view. Latency is measured in the client, request sent to response parsed.`,
      '',
      '| phase / operation | requests | errors | req/s | p50 ms | p99 ms | max ms | load avg |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Machine: ${cpus().length} cores shared with other jobs; node ${process.version}. Each write takes the store's lock and commits through a journal of atomic file replaces (temp file, fsync, rename, fsync of the directory), so writes to one store are serialized and bounded by fsync latency; writes to different stores proceed in parallel.`,
    ].join('\n');
    const json = { clients, seconds, client: '@anthropic-ai/sdk (fetch keep-alive)', phases: results, node: process.version, at: new Date().toISOString() };
    const dir = join(REPO, 'bench', 'results');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'server.json'), JSON.stringify(json, null, 2) + '\n');
    const [reads, ownWrites, sharedWrites, soloReads, soloWrites] = results;
    return {
      name: 'server',
      summary: `With ${clients} clients: memory reads ${reads!.total.perSecond} req/s (p50 ${reads!.total.p50Ms} ms, p99 ${reads!.total.p99Ms} ms); writes ${ownWrites!.total.perSecond} req/s across stores (p99 ${ownWrites!.total.p99Ms} ms), ${sharedWrites!.total.perSecond} req/s on one store (p99 ${sharedWrites!.total.p99Ms} ms); one client alone: read p50 ${soloReads!.total.p50Ms} ms, write p50 ${soloWrites!.total.p50Ms} ms.`,
      markdown,
      json,
    };
  } finally {
    await stopServer(server);
  }
}
