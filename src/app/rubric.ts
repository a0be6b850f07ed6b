import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../core/errors.ts';

export const DEFAULT_RUBRIC_FILE = fileURLToPath(new URL('../../rubrics/default.md', import.meta.url));

/** Load the rubric text a dream will be graded against (the default when no file is given). */
export async function loadRubric(file?: string): Promise<{ source: string; text: string }> {
  const path = file ?? DEFAULT_RUBRIC_FILE;
  try {
    const text = await readFile(path, 'utf8');
    return { source: file ?? 'rubrics/default.md', text };
  } catch (e) {
    throw new InvalidInputError('rubric_unreadable', `--rubric ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
