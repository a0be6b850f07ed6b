/**
 * A quick check on the real data in ../shared/data (present here and in CI). Missing data is a
 * failure, not a skip: CI has it, so its absence means a broken checkout.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitLines, stripAnsi } from '../../src/core/lines.ts';
import { failureRanges } from '../../src/engine/local/build-log.ts';
import { LocalEngine } from '../../src/engine/local/engine.ts';
import type { SessionEvent } from '../../src/sessions/schema.ts';
import { input, makeSession } from './helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = path.resolve(repoRoot, '../shared/data');

function requireData(sub: string): string {
  const dir = path.join(DATA, sub);
  if (!existsSync(dir)) throw new Error(`real data missing: ${dir} (expected ../shared/data next to the repository)`);
  return dir;
}

interface Label {
  InputPath: string;
  Chunk: string;
}

/** The `\n`-numbered line holding the chunk's first non-blank line (its last occurrence). */
function goldLine(lines: string[], chunk: string): number | null {
  const first = chunk
    .split(/\r\n|\r|\n/)
    .map((l) => stripAnsi(l).trim())
    .find((l) => l !== '');
  if (!first) return null;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (stripAnsi(lines[i]!).split('\r').some((f) => f.includes(first))) return i + 1;
  }
  return null;
}

describe('real data', () => {
  it('failureRanges covers the labelled LogChunks failure for a majority of builds', () => {
    const root = requireData('logchunks');
    let builds = 0;
    let top1 = 0;
    let top3 = 0;
    let any = 0;
    for (const repo of readdirSync(root).sort()) {
      const labels = JSON.parse(readFileSync(path.join(root, repo, 'labels.json'), 'utf8')) as Label[];
      // A few builds per repository keep the test fast while covering all 20 tool chains.
      for (const label of labels.slice(0, 4)) {
        const file = path.join(root, repo, 'logs', label.InputPath.split('/').pop()!);
        const lines = splitLines(readFileSync(file, 'utf8'));
        const gold = goldLine(lines, label.Chunk);
        if (gold === null) continue;
        builds++;
        const ranges = failureRanges(lines);
        const idx = ranges.findIndex((r) => r.start <= gold && gold <= r.end);
        if (idx === 0) top1++;
        if (idx >= 0 && idx < 3) top3++;
        if (idx >= 0) any++;
      }
    }
    const share = (n: number) => Math.round((n / builds) * 1000) / 1000;
    console.log(`logchunks: ${builds} builds; labelled first line in top-1 range ${share(top1)}, top-3 ${share(top3)}, any returned range ${share(any)}`);
    expect(builds).toBeGreaterThanOrEqual(70);
    expect(any / builds).toBeGreaterThan(0.5);
  });

  it('names the recurring exceptions of the SWE-agent trajectories in failure findings', async () => {
    const root = requireData('swe_trajectories');
    const engine = new LocalEngine();
    const sessionsWith = new Map<string, number>();
    const files = readdirSync(root).filter((f) => f.endsWith('.json')).sort();
    for (const [i, file] of files.entries()) {
      const data = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as { messages: { role: string; content: string }[] };
      const events: SessionEvent[] = data.messages.map((m, j) => ({
        id: `sevt_${String(j).padStart(6, '0')}`,
        type: m.role === 'assistant' ? 'agent.message' : m.role === 'system' ? 'system.message' : 'user.message',
        processed_at: null,
        source_lines: null,
        content: [{ type: 'text', text: m.content }],
      }));
      const { findings } = await engine.extract(input(makeSession(`sesn_swe${i}`, 'agent_transcript', file), events, i), { instructions: null });
      const names = new Set(findings.filter((f) => f.kind === 'failure' && f.title.includes(String(f.attributes.exception))).map((f) => String(f.attributes.exception)));
      for (const n of names) sessionsWith.set(n, (sessionsWith.get(n) ?? 0) + 1);
    }
    console.log('swe_trajectories: sessions per exception', JSON.stringify([...sessionsWith].sort((a, b) => b[1] - a[1]).slice(0, 8)));
    for (const name of ['ValueError', 'TypeError', 'AssertionError', 'SyntaxError']) {
      expect(sessionsWith.get(name) ?? 0, name).toBeGreaterThanOrEqual(3);
    }
  });
});
