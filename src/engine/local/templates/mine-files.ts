import { isGzipFile, openContent } from '../../../sessions/source.ts';
import { readLineBatches } from '../../../sessions/lines-reader.ts';
import type { Cluster } from './drain-tree.ts';
import { TemplateMiner } from './miner.ts';

/**
 * Stream files (plain or gzip, detected by magic bytes) through one miner, line by line with the
 * project's line numbering (core/lines.ts). Memory holds the tree plus, when `record` is on,
 * 4 bytes per line: each line's cluster number, so per-line output can name the *final*
 * template once every line has been seen — a template only settles after its last line.
 */
export interface MinedFile {
  path: string;
  lines: number;
  /** Cluster number (creation order) of each line, when recorded. */
  clusters?: Uint32Array;
}

class GrowableU32 {
  private buf = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  done(): Uint32Array {
    return this.buf.slice(0, this.length);
  }
}

export async function mineFile(path: string, miner: TemplateMiner, opts: { record?: boolean } = {}): Promise<MinedFile> {
  const gzip = await isGzipFile(path);
  const rec = opts.record ? new GrowableU32() : null;
  let lines = 0;
  for await (const batch of readLineBatches(openContent(path, gzip))) {
    for (const line of batch.lines) {
      const c: Cluster = miner.addLine(line);
      rec?.push(c.seq);
    }
    lines += batch.lines.length;
  }
  return rec ? { path, lines, clusters: rec.done() } : { path, lines };
}

export async function mineFiles(paths: readonly string[], miner: TemplateMiner, opts: { record?: boolean } = {}): Promise<MinedFile[]> {
  const out: MinedFile[] = [];
  for (const p of paths) out.push(await mineFile(p, miner, opts));
  return out;
}
