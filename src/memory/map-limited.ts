/**
 * Run `fn` over items with at most `limit` in flight, results in input order. Thousands of
 * small file reads/writes at once would hit EMFILE; one at a time wastes the disk's queue.
 */
export async function mapLimited<T, R>(items: readonly T[], fn: (t: T) => Promise<R>, limit = 32): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
