import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import fg from 'fast-glob';

/**
 * Turns what the user typed (files, directories, globs) into a sorted, de-duplicated list of
 * files. A path that does not exist, or a glob that matches nothing, is reported by name and
 * does not stop the other inputs.
 */
export interface ExpandedInputs {
  files: string[];
  errors: { path: string; reason: string }[];
}

export async function expandInputs(inputs: string[]): Promise<ExpandedInputs> {
  const files: string[] = [];
  const seen = new Set<string>();
  const errors: ExpandedInputs['errors'] = [];
  const add = (f: string): void => {
    const key = resolve(f);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(f);
    }
  };
  for (const input of inputs) {
    const st = await stat(input).catch(() => null);
    if (st?.isFile()) {
      add(input);
    } else if (st?.isDirectory()) {
      // Hidden files (.git, .DS_Store) are not transcripts.
      const found = await fg('**/*', {
        cwd: input,
        onlyFiles: true,
        dot: false,
        absolute: false,
        followSymbolicLinks: true,
      });
      if (found.length === 0) errors.push({ path: input, reason: 'directory contains no files' });
      for (const f of found.sort()) add(`${input.replace(/\/+$/, '')}/${f}`);
    } else if (st) {
      errors.push({ path: input, reason: 'not a regular file or directory' });
    } else if (fg.isDynamicPattern(input)) {
      const found = await fg(input, { onlyFiles: true, dot: false, followSymbolicLinks: true });
      if (found.length === 0) errors.push({ path: input, reason: 'glob matched no files' });
      for (const f of found.sort()) add(f);
    } else {
      errors.push({ path: input, reason: 'no such file or directory' });
    }
  }
  return { files, errors };
}
