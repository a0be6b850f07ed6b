import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IO_BUFFER_BYTES } from '../../src/core/io-buffers.ts';
import { contentId } from '../../src/core/ids.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { fileChunks } from '../../src/sessions/source.ts';
import { readEventsArray } from '../../src/sessions/store.ts';
import { EventWriter } from '../../src/sessions/writer.ts';
import { tempDir, tempRoot, texts } from './helpers.ts';

/** 2.6 MiB of log whose lines hold multi-byte characters, so sequences straddle chunk ends. */
function bigLog(): string {
  const lines: string[] = [];
  for (let i = 0, chars = 0; chars < 2.6 * IO_BUFFER_BYTES; i++) {
    lines.push(`[${i}] step ✓ résumé ${'x'.repeat(i % 97)} 日本 🎉 done`);
    chars += lines[i]!.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

describe('reused I/O buffers', () => {
  it('fileChunks gives every byte in order, from two buffers it reuses, and closes on an early stop', async () => {
    const file = join(await tempDir(), 'big.log');
    const text = bigLog();
    await writeFile(file, text);
    const copies: Buffer[] = [];
    const backing = new Set<ArrayBufferLike>();
    for await (const chunk of fileChunks(file)) {
      copies.push(Buffer.from(chunk));
      backing.add(chunk.buffer);
    }
    expect(Buffer.concat(copies).toString('utf8')).toBe(text);
    expect(copies.length).toBe(3);
    expect(backing.size).toBe(2);
    for await (const _ of fileChunks(file)) break; // must not leak the handle or hang
    const again: Buffer[] = [];
    for await (const chunk of fileChunks(file)) again.push(Buffer.from(chunk));
    expect(Buffer.concat(again).equals(Buffer.concat(copies))).toBe(true); // (toEqual walks 2.6M bytes one by one)
  });

  it('a plain log is stored byte for byte while it is parsed, its events hold every line', async () => {
    const file = join(await tempDir(), 'big.log');
    const text = bigLog();
    await writeFile(file, text);
    const root = await tempRoot();
    const report = await importSessions(root, [file]);
    const s = report.imported[0]!;
    expect(s.id).toBe(contentId('session', Buffer.from(text)));
    expect((await readFile(join(root.session(s.id), 'original'))).equals(Buffer.from(text))).toBe(true);
    expect(s.source.bytes).toBe(Buffer.byteLength(text));
    const events = await readEventsArray(root, s.id);
    expect(events.map(texts).join('\n')).toBe(text.slice(0, -1));
    expect(Math.max(...events.map((e) => texts(e).length))).toBeLessThanOrEqual(30000 + 200);
  });

  it('EventWriter keeps order when a line is bigger than its buffer', async () => {
    const file = join(await tempDir(), 'events.jsonl');
    const fh = await open(file, 'w');
    const writer = new EventWriter(fh, 'sesn_test');
    const huge = `${'é'.repeat(400_000)}€`;
    const draft = (text: string) => ({
      type: 'user.message' as const,
      processed_at: null,
      source_lines: null,
      content: [{ type: 'text' as const, text }],
    });
    await writer.add(draft('first'));
    await writer.add(draft(huge));
    await writer.add(draft('last'));
    await writer.finish();
    await fh.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as { content: { text: string }[] }).content[0]!.text)).toEqual(['first', huge, 'last']);
  });
});
