import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { renderAgentFile } from '../../src/export/agent-file.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { parseMemory } from '../../src/merger/parse.ts';
import { readTree, runCli, tempRoot } from '../helpers/cli.ts';

let root: string;
let storeId: string;
let tree: Record<string, string>;

beforeAll(async () => {
  root = await tempRoot();
  const res = await runCli(
    ['run', 'examples/sessions/ci/*.log', 'examples/sessions/agent/*.jsonl', '--json', '--quiet'],
    root,
  );
  expect(res.code, res.stderr).toBe(0);
  storeId = JSON.parse(res.stdout).outputs[0].memory_store_id;
  tree = await readTree(join(root, 'stores', storeId, 'tree'));
}, 120_000);

async function exportTo(
  format: string,
  name: string,
): Promise<{ code: number | null; out: string; stdout: string; stderr: string }> {
  const out = join(await mkdtemp(join(tmpdir(), 'dw-export-')), name);
  const r = await runCli(['export', storeId, '--format', format, '--out', out], root);
  return { ...r, out };
}

describe('dream export', () => {
  for (const [format, file, heading] of [
    ['claude-md', 'CLAUDE.md', '# CLAUDE.md — project memory'],
    ['agents-md', 'AGENTS.md', '# AGENTS.md'],
  ] as const) {
    it(`--format ${format} writes one file: every lesson, provenance as footnotes with sessions and lines`, async () => {
      const r = await exportTo(format, file);
      expect(r.code, r.stderr).toBe(0);
      const text = await readFile(r.out, 'utf8');
      expect(text.startsWith(heading + '\n')).toBe(true);
      const memories = Object.entries(tree).filter(([p]) => p !== '/README.md');
      for (const [path, content] of memories) {
        const entry = parseMemory(path, content)!;
        // The lesson is in the text; its footnote names the path, every session and each evidence line.
        const ref = new RegExp(`### ${escape(entry.title)} \\[\\^(\\d+)\\]`).exec(text);
        expect(ref, entry.title).not.toBeNull();
        const note = text.slice(text.indexOf(`[^${ref![1]}]: \`${path}\``));
        expect(note.length).toBeGreaterThan(0);
        for (const s of entry.sessions) expect(note).toContain(s);
        const withLines = entry.evidence.find((e) => e.lines !== null);
        if (withLines) expect(note).toContain(`${withLines.session_id} L${withLines.lines![0]}`);
      }
      expect(text).not.toContain('dreamwork index: generated'); // the store README is not copied in
      // Deterministic: exporting again gives the same bytes.
      const again = await exportTo(format, file);
      expect(await readFile(again.out, 'utf8')).toBe(text);
    }, 60_000);
  }

  it('--format dir writes one file per memory, provenance inside each', async () => {
    const r = await exportTo('dir', 'memories');
    expect(r.code, r.stderr).toBe(0);
    expect(await readTree(r.out)).toEqual(tree);
  });

  it('refuses to overwrite an existing file without --force, and an unknown format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-export-'));
    const out = join(dir, 'CLAUDE.md');
    await writeFile(out, 'my own notes\n');
    const refused = await runCli(['export', storeId, '--format', 'claude-md', '--out', out], root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/file exists; pass --force/);
    expect(await readFile(out, 'utf8')).toBe('my own notes\n');
    const forced = await runCli(['export', storeId, '--format', 'claude-md', '--out', out, '--force'], root);
    expect(forced.code, forced.stderr).toBe(0);
    const bad = await runCli(['export', storeId, '--format', 'html'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format: "html" is not one of claude-md, agents-md, dir/);
  });

  it('keeps hand-written memories as they are, headings demoted, with their path as the footnote', async () => {
    const paths = new RootPaths(await tempRoot());
    const repo = new MemoryStoreRepo(paths);
    const s = await repo.createStore({ name: 'hand' });
    await repo.createMemory(
      s.id,
      { path: '/notes/deploy.md', content: '# Deploy\n\n## Steps\n\nTag, then push.\n' },
      { type: 'user_actor', user_id: 'alice' },
    );
    const text = renderAgentFile(await repo.snapshot(s.id), 'agents-md', {
      storeId: s.id,
      storeName: 'hand',
    });
    expect(text).toContain(
      '## Other notes\n\n### `/notes/deploy.md` [^1]\n\n**Deploy**\n\n**Steps**\n\nTag, then push.\n',
    );
    expect(text).toContain('[^1]: `/notes/deploy.md` (written by hand; no provenance recorded)');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
