import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/core/lock.ts';

describe('file lock', () => {
  it('serializes critical sections', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-lock-'));
    const lock = join(dir, 'x.lock');
    const counter = join(dir, 'n');
    await writeFile(counter, '0');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lock, async () => {
          const n = Number(await readFile(counter, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          await writeFile(counter, String(n + 1));
        }),
      ),
    );
    expect(await readFile(counter, 'utf8')).toBe('20');
  });

  it('breaks the stale lock of a dead process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-lock-'));
    const lock = join(dir, 'x.lock');
    await writeFile(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    expect(await withFileLock(lock, async () => 'got it', 2000)).toBe('got it');
  });
});
