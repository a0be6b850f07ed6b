/**
 * The whole dream over one transcript of every format: the failure they share becomes a
 * /failures/ memory seen in all five sessions, the fix a /playbooks/ memory; instructions steer
 * it (exclude, preserve) and the event log says what was and was not honoured. The memories are
 * snapshotted so a change in output shows up as a readable diff.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDreams } from '../../../src/app/run.ts';
import { RootPaths } from '../../../src/core/root.ts';
import { MemoryStoreRepo } from '../../../src/memory/repo.ts';
import type { StoreSnapshot } from '../../../src/merger/types.ts';
import { TOOL_FIXTURES } from './formats.test.ts';

const FILES = ['managed-agents.json', 'claude-code.jsonl', 'messages.json', 'openai-chat.json', 'swe-trajectory.json'].map((f) => join(TOOL_FIXTURES, f));
const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function dream(root: string, instructions: string | null, storeId?: string) {
  const paths = new RootPaths(root);
  const out = await runDreams(paths, { inputs: FILES, workers: 1, instructions, ...(storeId ? { storeId } : {}) });
  expect(out.final.status).toBe('completed');
  const id = out.final.outputs[0]!.memory_store_id;
  const store = await new MemoryStoreRepo(paths).snapshot(id);
  const events = (await readFile(join(paths.dream(out.final.id), 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  return { id, store, events };
}

const under = (store: StoreSnapshot, folder: string) => store.filter((m) => m.path.startsWith(folder));

describe('dream over every transcript format', () => {
  it('writes the shared failure and its playbook with counts that verify', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dreamwork-tools-dream-'));
    roots.push(root);
    const { store, events } = await dream(root, null);
    const failures = under(store, '/failures/');
    const playbooks = under(store, '/playbooks/');
    // Seen once only (yq, npm test): not recurring, no memory of their own.
    expect(failures).toHaveLength(1);
    expect(failures[0]!.content).toContain('- occurrences: seen in 5 sessions');
    expect(playbooks).toHaveLength(1);
    expect(playbooks[0]!.content).toContain('- occurrences: seen in 5 sessions');
    await expect(failures.map((m) => `==> ${m.path}\n${m.content}`).join('\n')).toMatchFileSnapshot('__snapshots__/failures.txt');
    await expect(playbooks.map((m) => `==> ${m.path}\n${m.content}`).join('\n')).toMatchFileSnapshot('__snapshots__/playbooks.txt');
    expect(events.find((e) => e.type === 'dream.transcripts')).toMatchObject({ failures_kept: 1, playbooks: 1 });
  });

  it('honours exclude, preserves listed memories byte for byte, and logs what it could not honour', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dreamwork-tools-dream-'));
    roots.push(root);
    const first = await dream(root, null);
    const playbook = under(first.store, '/playbooks/')[0]!;
    const failure = under(first.store, '/failures/')[0]!;
    const second = await dream(root, `preserve: ${playbook.path}\nexclude: No module named\nPlease summarize the sessions in French.`, first.id);
    // Preserved: the same bytes, although the findings would have rewritten it.
    expect(second.store.find((m) => m.path === playbook.path)?.content).toBe(playbook.content);
    const log = second.events.find((e) => e.type === 'dream.instructions');
    expect(log).toMatchObject({
      engine: 'local',
      honored: [`preserve: ${playbook.path}`, 'exclude: no module named'],
      unhonored: ['Please summarize the sessions in French.'],
      preserved_paths: [playbook.path],
    });
    // Excluded findings add nothing: the failure from the input store stays as it was.
    expect(second.store.find((m) => m.path === failure.path)?.content).toBe(failure.content);
  });
});
