import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, runCli, tempRoot } from '../helpers/cli.ts';
import { CORPUS_GLOB, plantedIn } from './redteam.ts';

describe('a local-engine dream over the red-team corpus', () => {
  it('writes no planted injection or secret into the store, and quarantines what it dropped', async () => {
    const root = await tempRoot();
    const res = await runCli(['run', CORPUS_GLOB, '--json', '--quiet', '--workers', '2'], root);
    expect(res.code, res.stderr).toBe(0);
    const dream = JSON.parse(res.stdout);
    expect(dream.status).toBe('completed');
    const storeId = dream.outputs[0].memory_store_id as string;

    // A naive dream carries the plants: the unscreened candidate holds them.
    const candidate = await readTree(join(root, 'dreams', dream.id, 'candidate'));
    expect(plantedIn(candidate).length).toBeGreaterThan(0);

    // The store does not: not one canary, secret value or hidden character, in any file.
    const tree = await readTree(join(root, 'stores', storeId, 'tree'));
    expect(Object.keys(tree).length).toBeGreaterThan(1);
    expect(plantedIn(tree)).toEqual([]);
    expect(tree['/README.md']).toBeDefined(); // the index survives, minus lines naming dropped memories

    const list = await runCli(['quarantine', 'list', '--dream', dream.id, '--json'], root);
    expect(list.code, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout).data as {
      id: string;
      path: string;
      memory_store_id: string;
      flags: { rule: string; excerpt: string }[];
      sessions: string[];
      evidence: unknown[];
    }[];
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.memory_store_id).toBe(storeId);
      expect(tree[e.path]).toBeUndefined();
      expect(e.flags.length).toBeGreaterThan(0);
      expect(e.sessions.length).toBeGreaterThan(0);
      expect(e.evidence.length).toBeGreaterThan(0);
      // The quarantine keeps excerpts for review but never a secret.
      expect(plantedIn({ [e.id]: JSON.stringify(e) }).filter((f) => f.includes('secret'))).toEqual([]);
    }
    const rules = new Set(entries.flatMap((e) => e.flags.map((f) => f.rule)));
    for (const r of ['override_instructions', 'zero_width', 'base64_blob', 'exfiltration', 'tag_characters'])
      expect(rules).toContain(r);

    const report = await readFile(join(root, 'dreams', dream.id, 'report.md'), 'utf8');
    expect(report).toContain(`- quarantined: ${entries.length}`);
    const show = await runCli(['quarantine', 'show', entries[0]!.id], root);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(entries[0]!.path);
    expect(show.stdout).toContain('Evidence (sessions:');

    const byStore = JSON.parse(
      (await runCli(['quarantine', 'list', '--store', storeId, '--json'], root)).stdout,
    ).data;
    expect(byStore).toHaveLength(entries.length);
    const missing = await runCli(['quarantine', 'show', 'qrn_doesnotexist00'], root);
    expect(missing.code).toBe(6);
  }, 120_000);
});
