import { stat } from 'node:fs/promises';
import fg from 'fast-glob';

/**
 * A second look at a directory chokidar just started watching. chokidar scans a new directory
 * and only then registers its fs.watch, so a file completely written in between gets no event
 * at all (paulmillr/chokidar#1471, still in v5; a mkdir followed by quick writes hits it about
 * one time in four here). chokidar reports the directory before its scan, so this looks one
 * settle interval later, when the watch is in place: anything written after that gets events,
 * and anything written before is on disk for this scan to find.
 *
 * Returns the files under `dir` that `accepts` takes and that have stopped changing (the same
 * size and mtime across `settleMs`), the same test chokidar's awaitWriteFinish applies. A file
 * still growing is left to chokidar, which sees its later writes.
 */
export async function settledFilesUnder(
  dir: string,
  accepts: (path: string) => boolean,
  settleMs: number,
): Promise<string[]> {
  await sleep(settleMs);
  // The whole subtree: a folder made inside it during the same gap got no addDir of its own.
  const found = (
    await fg('**/*', { cwd: dir, absolute: true, onlyFiles: true, dot: false, suppressErrors: true })
  ).filter(accepts);
  const before = await Promise.all(found.map(fingerprint));
  await sleep(settleMs);
  const after = await Promise.all(found.map(fingerprint));
  return found.filter((_, i) => before[i] !== null && before[i] === after[i]);
}

async function fingerprint(path: string): Promise<string | null> {
  const st = await stat(path).catch(() => null);
  return st?.isFile() ? `${st.size}:${st.mtimeMs}` : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
