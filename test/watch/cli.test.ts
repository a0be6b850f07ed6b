import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, tempRoot } from '../helpers/cli.ts';
import { writeCiLogs } from '../helpers/fixtures.ts';
import { tempDir } from './harness.ts';

/** JSON lines from a child's stdout, with a way to wait for one. */
function lines(child: ReturnType<typeof startCli>) {
  const seen: Record<string, unknown>[] = [];
  let buf = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    // A line that is not JSON is kept as such, so a failure shows it instead of crashing here.
    for (const p of parts) {
      if (!p.trim()) continue;
      try {
        seen.push(JSON.parse(p));
      } catch {
        seen.push({ type: 'not_json', text: p });
      }
    }
  });
  const until = async (type: string, timeoutMs = 60_000) => {
    for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const e = seen.find((x) => x.type === type);
      if (e) return e;
    }
    throw new Error(`no ${type} event; stdout so far: ${JSON.stringify(seen)}; stderr: ${stderr}`);
  };
  return { seen, until, stderr: () => stderr };
}

describe('dream watch (CLI)', () => {
  it('prints one JSON line per event and stops cleanly on SIGINT', async () => {
    const root = await tempRoot();
    const dir = await tempDir('dw-watch-in-');
    const child = startCli(
      [
        'watch',
        dir,
        '--json',
        '--every',
        '2',
        '--after-seconds',
        '60',
        '--settle-ms',
        '200',
        '--workers',
        '1',
      ],
      root,
    );
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const out = lines(child);
    await out.until('ready');
    await writeCiLogs(dir, 2, 20);
    const done = (await out.until('dream_finished')) as { status: string; output_store_id: string };
    expect(done.status).toBe('completed');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out.seen.map((e) => e.type)).toEqual([
      'ready',
      'imported',
      'imported',
      'dream_started',
      'dream_finished',
      'stopped',
    ]);
    const state = JSON.parse(await readFile(join(root, 'watch', 'default.json'), 'utf8'));
    expect(state.store_id).toBe(done.output_store_id);
  }, 120_000);

  it('exits 2 naming a missing directory and 6 naming an unknown store', async () => {
    const root = await tempRoot();
    const missing = await runCli(['watch', join(root, 'no-such-dir')], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-dir: no such directory to watch');
    const dir = await tempDir('dw-watch-in-');
    const unknown = await runCli(['watch', dir, '--store', 'memstore_doesnotexist01', '--json'], root);
    expect(unknown.code).toBe(6);
    expect(JSON.parse(unknown.stdout).error).toMatchObject({ type: 'not_found_error' });
    const bad = await runCli(['watch', dir, '--every', 'x'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--every');
  }, 120_000);
});

describe('dream watch (CLI) stopped mid-dream', () => {
  it('SIGTERM waits for the dream; a second SIGINT leaves it for the next start to finish', async () => {
    const root = await tempRoot();
    const dir = await tempDir('dw-watch-in-');
    const args = [
      'watch',
      dir,
      '--json',
      '--every',
      '2',
      '--settle-ms',
      '200',
      '--workers',
      '1',
      '--batch-size',
      '1',
    ];

    // One signal: the dream finishes, then the watch stops (exit 0).
    let child = startCli(args, root);
    let exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let out = lines(child);
    await out.until('ready');
    await writeCiLogs(dir, 2, 30_000);
    await out.until('dream_started');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const types = out.seen.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['dream_finished', 'stopped']);

    // Two signals: exit 130 at once, the dream left running with a dead owner.
    child = startCli(args, root);
    exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    out = lines(child);
    await out.until('ready');
    await writeCiLogs(join(dir, 'more'), 2, 30_001);
    const started = (await out.until('dream_started')) as { dream_id: string };
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(out.seen.some((e) => e.type === 'dream_finished')).toBe(false);

    // The next start finishes that dream (resumed, not started again) and dreams nothing twice.
    child = startCli(args, root);
    exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    out = lines(child);
    const finished = (await out.until('dream_finished')) as { dream_id: string; status: string };
    expect(finished).toMatchObject({ dream_id: started.dream_id, status: 'completed' });
    await out.until('ready');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(
      out.seen.filter(
        (e) => e.type === 'imported' || (e.type === 'dream_started' && e.dream_id !== started.dream_id),
      ),
    ).toEqual([]);
    const state = JSON.parse(await readFile(join(root, 'watch', 'default.json'), 'utf8'));
    expect(state.pending).toEqual([]);
    expect(state.in_flight).toBeNull();
    expect(state.dreams).toHaveLength(2);
  }, 240_000); // three CLI processes and two dreams over 60,000-line logs, on a shared machine
});
