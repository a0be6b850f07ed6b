import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Synthetic CI logs for pipeline tests: `count` runs of one job, some failing with one of a few
 * recurring errors (numbers and hashes vary per run, as in real logs), padded to `linesPerLog`.
 */
export async function writeCiLogs(dir: string, count: number, linesPerLog = 200): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const failures = [
    (i: number) => [`npm ERR! code ERESOLVE`, `npm ERR! ERESOLVE unable to resolve dependency tree`, `npm ERR! Found: react@18.${i % 7}.1`],
    (i: number) => [`FAIL src/checkout.test.ts > submits order ${i}`, `Error: Test timed out in 5000ms.`],
    (i: number) => [`error TS2322: Type 'string' is not assignable to type 'number'.`, `src/cart.ts(${10 + i},5): error TS2322`],
  ];
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const lines: string[] = [];
    for (let n = 0; n < linesPerLog; n++) lines.push(`2026-11-0${1 + (i % 9)}T10:00:${String(n % 60).padStart(2, '0')}Z step ${n} ok (${(n * 7 + i) % 997} ms) id=${(n * 2654435761 + i).toString(16)}`);
    if (i % 4 !== 3) {
      lines.push(...failures[i % failures.length]!(i));
      lines.push(`##[error]Process completed with exit code 1.`);
    }
    const file = join(dir, `run-${String(i).padStart(3, '0')}.log`);
    await writeFile(file, lines.join('\n') + '\n');
    files.push(file);
  }
  return files;
}
