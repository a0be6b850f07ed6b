import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { getSession } from '../../src/sessions/store.ts';
import { writeCiLogs } from '../helpers/fixtures.ts';
import { sleep, startWatcher, tempDir, type Started } from './harness.ts';

const running: Started[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.watcher.stop();
});

async function start(...args: Parameters<typeof startWatcher>): Promise<Started> {
  const s = await startWatcher(...args);
  running.push(s);
  return s;
}

describe('Watcher: files landing in a watched directory', { timeout: 180_000 }, () => {
  it('imports each new file once and dreams after N sessions; the next dream reads the newest store', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    const { watcher, events } = await start(root, { dirs: [dir], every: 2 });
    const ready = await events.nth('ready');
    const origin = ready.store_id;

    await writeCiLogs(join(dir, 'a'), 2, 30);
    const first = await events.nth('dream_finished', 1);
    expect(first.status).toBe('completed');
    expect(first.store_id).toBe(origin);
    const started = await events.nth('dream_started', 1);
    expect(started.trigger).toBe('count');
    expect(started.session_ids).toHaveLength(2);

    await writeCiLogs(join(dir, 'b'), 3, 31); // other content: other sessions
    const second = await events.nth('dream_finished', 2);
    // create_new: the chain goes on from the store the first dream wrote.
    expect(second.store_id).toBe(first.output_store_id);
    expect(second.output_store_id).not.toBe(first.output_store_id);
    // The second dream may start with two of the three new files; the third can still be settling.
    await events.nth('imported', 5);
    expect(events.of('imported')).toHaveLength(5);
    expect(events.of('imported').map((e) => e.status)).toEqual(Array(5).fill('imported'));

    const state = JSON.parse(await readFile(join(root, 'watch', 'default.json'), 'utf8'));
    expect(state.store_id).toBe(second.output_store_id);
    expect(state.origin_store_id).toBe(origin);
    expect(Object.keys(state.files)).toHaveLength(5);
    // Each dream takes what is pending when it starts (2, then 2 or 3): none dreamed twice, none lost.
    const dreamed = events.of('dream_started').flatMap((e) => e.session_ids);
    expect(new Set(dreamed).size).toBe(dreamed.length);
    expect(dreamed.length + state.pending.length).toBe(5);
    expect(watcher.status().pending).toEqual(state.pending.map((p: { session_id: string }) => p.session_id));
    expect(state.dreams.map((d: { status: string }) => d.status)).toEqual(['completed', 'completed']);
  });

  it('imports a file written slowly in pieces once, whole', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    const { events } = await start(root, { dirs: [dir], settleMs: 700 });
    await events.nth('ready');

    const lines = Array.from(
      { length: 40 },
      (_, i) => `2026-11-20T10:00:${String(i).padStart(2, '0')}Z step ${i} ok`,
    );
    lines.push('npm ERR! code ERESOLVE', '##[error]Process completed with exit code 1.');
    const whole = lines.join('\n') + '\n';
    const path = join(dir, 'slow.log');
    const fh = await open(path, 'w');
    // 14 pieces, 120 ms apart: far longer in total than the settle interval, never idle that long.
    const step = Math.ceil(whole.length / 14);
    for (let at = 0; at < whole.length; at += step) {
      await fh.write(whole.slice(at, at + step));
      await sleep(120);
    }
    await fh.close();

    const imported = await events.nth('imported');
    await sleep(1_500); // a second import would have come by now
    expect(events.of('imported')).toHaveLength(1);
    const session = await getSession(new RootPaths(root), imported.session_id);
    expect(session.source.bytes).toBe(Buffer.byteLength(whole));
    expect(session.line_count).toBe(lines.length);
  });

  it('dreams T after the oldest pending session even below N', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    const { events } = await start(root, { dirs: [dir], every: 10, afterMs: 700 });
    await events.nth('ready');
    await writeCiLogs(dir, 1, 20);
    const imported = await events.nth('imported');
    const started = await events.nth('dream_started');
    expect(started.trigger).toBe('timer');
    expect(started.session_ids).toEqual([imported.session_id]);
    expect(Date.parse(started.at) - Date.parse(imported.at)).toBeGreaterThanOrEqual(600);
    expect((await events.nth('dream_finished')).status).toBe('completed');
  });

  it('honours --glob, skips hidden files, and records a refused file without retrying it', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    const { events } = await start(root, { dirs: [dir], glob: '*.log' });
    await events.nth('ready');
    await writeCiLogs(join(dir, 'deep', 'er'), 1, 10);
    await writeFile(join(dir, 'notes.txt'), 'not a log\n');
    await mkdir(join(dir, '.cache'));
    await writeFile(join(dir, '.cache', 'x.log'), 'hidden\n');
    await writeFile(join(dir, '.swap.log'), 'hidden\n');
    await writeFile(join(dir, 'empty.log'), '');
    const refused = await events.nth('refused');
    expect(refused.path).toBe(join(dir, 'empty.log'));
    expect(refused.reason).toMatch(/empty/);
    const imported = await events.nth('imported');
    expect(imported.path).toBe(join(dir, 'deep', 'er', 'run-000.log'));
    await sleep(800);
    expect(events.of('imported')).toHaveLength(1);
    expect(events.of('refused')).toHaveLength(1);
  });

  it('imports every file of many new folders, written just after each folder appears', async () => {
    const root = await tempDir('dw-watch-root-');
    const dir = await tempDir('dw-watch-in-');
    const { events } = await start(root, { dirs: [dir], settleMs: 100 });
    await events.nth('ready');
    // Two files right after each mkdir: chokidar alone misses the second about one time in four
    // (it scans the new folder before watching it). Uneven gaps around the import time make some
    // land just as the import lane empties.
    const gaps = [0, 5, 40, 0, 90, 15, 150, 0, 60, 220, 10, 120, 0, 30, 180, 70];
    for (const [i, gap] of gaps.entries()) {
      await writeCiLogs(join(dir, `d${i}`, 'x'), 2, 20 + i); // two new folders each time
      await sleep(gap);
    }
    await events.nth('imported', 2 * gaps.length);
    await sleep(800);
    expect(events.of('imported')).toHaveLength(2 * gaps.length);
  });
});
