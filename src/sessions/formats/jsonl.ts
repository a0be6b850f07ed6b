import type { LineBatch } from '../lines-reader.ts';
import type { ParseContext } from '../events.ts';

export interface JsonlRecord {
  line: number;
  value: unknown;
}

/**
 * JSONL lines as parsed values with their line numbers. A line that is not JSON is a warning
 * (`line N: invalid JSON: …`) and the rest of the file still imports; blank lines are ignored.
 */
export async function* jsonlRecords(
  batches: AsyncIterable<LineBatch>,
  ctx: ParseContext,
): AsyncGenerator<JsonlRecord> {
  for await (const batch of batches) {
    for (let i = 0; i < batch.lines.length; i++) {
      const raw = batch.lines[i]!;
      const line = batch.first + i;
      if (raw.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        ctx.warn(line, `invalid JSON: ${(e as Error).message}`);
        continue;
      }
      yield { line, value };
    }
  }
}
