/**
 * Generated inputs for the whole-dream benchmark, built once into a cache folder by cycling the
 * real LogChunks build logs (../shared/data/logchunks). Every copy of a source log gets its
 * numbers shifted by a per-copy salt (same digit count, so line lengths stay realistic), which
 * makes every generated file distinct (session ids are content hashes) without changing what
 * the lines look like to a template miner. Each generated log ends with a whole real failing
 * log, so it fails the way a real build does.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const DATA = resolve(import.meta.dirname, '../../shared/data/logchunks');
/** Bump when the generator changes, so a stale cache is rebuilt. */
const VERSION = 'v1';

export interface Corpus {
  dir: string;
  files: string[];
  bytes: number;
}

/** A source log split into [text, digits, text, digits, …] so copies re-salt numbers quickly. */
type Pieces = string[];

async function sourceLogs(): Promise<Pieces[]> {
  const repos = (await readdir(DATA)).sort();
  const out: Pieces[] = [];
  for (const repo of repos) {
    const dir = join(DATA, repo, 'logs');
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.log')).sort();
    for (const n of names) out.push((await readFile(join(dir, n), 'utf8')).split(/(\d+)/));
  }
  if (out.length === 0) throw new Error(`no logs under ${DATA}`);
  return out;
}

function salted(pieces: Pieces, salt: number): string {
  const out = new Array<string>(pieces.length);
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (i % 2 === 0 || p.length > 15) out[i] = p;
    else {
      const mod = 10 ** p.length;
      out[i] = String((Number(p) + salt) % mod).padStart(p.length, '0');
    }
  }
  return out.join('');
}

async function write(stream: WriteStream, text: string): Promise<number> {
  const buf = Buffer.from(text, 'utf8');
  if (!stream.write(buf)) await new Promise<void>((r) => stream.once('drain', () => r()));
  return buf.length;
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((done, fail) => stream.end((e?: Error | null) => (e ? fail(e) : done())));
}

/** One log of about `target` bytes: cycled real logs, then a whole failing log at the end. */
async function writeLog(file: string, logs: Pieces[], index: number, target: number): Promise<number> {
  const stream = createWriteStream(file);
  const tail = salted(logs[index % logs.length]!, index * 7919 + 1);
  let bytes = 0;
  for (let k = 1; bytes + tail.length < target; k++) {
    bytes += await write(stream, salted(logs[(index + k * 37) % logs.length]!, index * 104_729 + k * 31));
  }
  bytes += await write(stream, tail);
  await close(stream);
  return bytes;
}

async function cached(name: string, build: (dir: string) => Promise<void>): Promise<Corpus> {
  const dir = join(process.env.DREAM_BENCH_CACHE ?? join(tmpdir(), 'dreamwork-bench'), VERSION, name);
  const done = join(dir, '.complete');
  if (!(await stat(done).catch(() => null))) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await build(dir);
    await writeFile(done, new Date().toISOString());
  }
  const files = (await readdir(dir)).filter((n) => n.endsWith('.log')).sort().map((n) => join(dir, n));
  let bytes = 0;
  for (const f of files) bytes += (await stat(f)).size;
  return { dir, files, bytes };
}

/** `count` logs totalling at least `totalBytes`. */
export async function manyLogs(count: number, totalBytes: number): Promise<Corpus> {
  return cached(`many-${count}-${totalBytes}`, async (dir) => {
    const logs = await sourceLogs();
    const each = Math.ceil(totalBytes / count);
    for (let i = 0; i < count; i++) {
      await writeLog(join(dir, `build-${String(i).padStart(4, '0')}.log`), logs, i, each);
    }
  });
}

/** One log of at least `bytes`. */
export async function oneBigLog(bytes: number): Promise<Corpus> {
  return cached(`one-${bytes}`, async (dir) => {
    const logs = await sourceLogs();
    await writeLog(join(dir, 'huge.log'), logs, 0, bytes);
  });
}
