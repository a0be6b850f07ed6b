import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

/**
 * Worker pools. Worker modules are TypeScript when running from source; then each thread loads
 * tsx itself (worker threads do not inherit the main thread's module hooks on Node 20).
 */
export function workerFile(name: string): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  const isTs = here.endsWith('.ts');
  const filename = fileURLToPath(new URL(`../worker/${name}.${isTs ? 'ts' : 'js'}`, here));
  const base = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  const hasTsx = base.some((a, i) => a === '--import' && base[i + 1]?.includes('tsx')) || base.some((a) => a.includes('tsx'));
  return { filename, execArgv: isTs && !hasTsx ? [...base, '--import', 'tsx'] : base };
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * `heapMb` caps each thread's old generation: V8 otherwise lets garbage pile up to a quarter of
 * the machine's memory before collecting, and a streamed 2 GB log would show as hundreds of MB of
 * RSS that hold nothing live.
 */
export function createPool(name: string, threads: number, heapMb?: number): Piscina {
  const { filename, execArgv } = workerFile(name);
  return new Piscina({
    filename,
    execArgv,
    ...(heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
    minThreads: 0,
    maxThreads: threads,
    // One task per thread at a time: a batch is the unit of isolation.
    concurrentTasksPerWorker: 1,
    idleTimeout: 1_000,
  });
}
