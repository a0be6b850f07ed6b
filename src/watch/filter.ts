import { relative, sep } from 'node:path';
import type { Stats } from 'node:fs';
import picomatch from 'picomatch';

/**
 * Which paths under the watched directories are candidate transcripts. The same rules as
 * `dream run DIR` (hidden files and folders are not transcripts: .git, editor swap files), plus
 * the shared filesystem itself when it lives inside a watched directory (importing our own
 * session files would feed the watch its own output forever), plus the optional --glob.
 */
export class PathFilter {
  private readonly match: ((rel: string) => boolean) | null;

  constructor(
    private readonly dirs: readonly string[],
    private readonly root: string,
    glob: string | null,
  ) {
    // A pattern without a slash matches the file name at any depth (`*.log`), like .gitignore.
    this.match = glob === null ? null : picomatch(glob, { dot: false, basename: !glob.includes('/') });
  }

  /** The watched directory a path is under, and the path relative to it (posix separators). */
  private locate(path: string): string | null {
    for (const dir of this.dirs) {
      const rel = relative(dir, path);
      if (rel === '') return '';
      if (!rel.startsWith('..') && !rel.startsWith(sep)) return rel.split(sep).join('/');
    }
    return null;
  }

  /** chokidar's `ignored`: called for directories and files, `stats` only sometimes present. */
  ignored = (path: string, stats?: Stats): boolean => {
    if (path === this.root || path.startsWith(this.root + sep)) return true;
    const rel = this.locate(path);
    if (rel === null) return false;
    if (rel === '') return false;
    if (rel.split('/').some((seg) => seg.startsWith('.'))) return true;
    if (stats?.isFile()) return !this.accepts(path);
    return false;
  };

  /** A file to import: under a watched directory, not hidden, matching the glob. */
  accepts(path: string): boolean {
    if (path === this.root || path.startsWith(this.root + sep)) return false;
    const rel = this.locate(path);
    if (rel === null || rel === '') return false;
    if (rel.split('/').some((seg) => seg.startsWith('.'))) return false;
    return this.match === null || this.match(rel);
  }
}
