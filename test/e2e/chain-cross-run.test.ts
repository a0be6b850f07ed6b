import { describe, expect, it } from 'vitest';
import { buildRunConfig, dreamOverSessions } from '../../src/app/run.ts';
import { RootPaths } from '../../src/core/root.ts';
import { MemoryStoreRepo } from '../../src/memory/repo.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { tempRoot } from '../helpers/cli.ts';

// Five runs of one job: ERESOLVE fails at 9f8e7d6 and is gone at 5d4c3b2; the checkout test
// times out and passes at 5d4c3b2 (flaky).
const RUNS = [1, 2, 3, 4, 5].map((i) => `examples/sessions/ci/run-10${i}.log`);

/** The cross-run memories (flaky insights, "went away" playbooks) of the last store of a chain. */
async function crossRunMemories(maxSessions: number, again = false): Promise<{ dreams: number; memories: Record<string, string> }> {
  const paths = new RootPaths(await tempRoot('dw-chain-'));
  const ids = (await importSessions(paths, RUNS)).imported.map((s) => s.id);
  const config = await buildRunConfig({ inputs: [], workers: 1 });
  let dreams = await dreamOverSessions(paths, ids, { workers: 1, maxSessions }, config);
  // Again: the same runs dreamed once more over the store the first dream wrote.
  if (again) dreams = await dreamOverSessions(paths, ids, { workers: 1, maxSessions, storeId: dreams.at(-1)!.outputs[0]!.memory_store_id }, config);
  expect(dreams.map((d) => d.status)).toEqual(Array(dreams.length).fill('completed'));
  const snapshot = await new MemoryStoreRepo(paths).snapshot(dreams.at(-1)!.outputs[0]!.memory_store_id);
  const memories = Object.fromEntries(snapshot.filter((m) => /^\/(insights\/flaky|playbooks\/went-away)/.test(m.path)).map((m) => [m.path, m.content]));
  return { dreams: dreams.length, memories };
}

const lesson = (text: string) => text.split('\n## Provenance')[0];

describe('cross-run analysis across the dreams of a chain', () => {
  it('finds across three chained dreams the flaky test and the fix that one dream over all five runs finds', async () => {
    const whole = await crossRunMemories(100);
    const chained = await crossRunMemories(2);
    expect(whole.dreams).toBe(1);
    expect(chained.dreams).toBe(3);
    expect(Object.keys(whole.memories)).toHaveLength(2);
    // The ERESOLVE fix spans dreams 1 and 2, the flaky timeout dreams 2 and 3: each dream saw the
    // runs before it (prior-runs.ts), cited their lines and diffed their logs.
    expect(Object.keys(chained.memories).sort()).toEqual(Object.keys(whole.memories).sort());
    for (const [path, content] of Object.entries(whole.memories)) {
      expect(lesson(chained.memories[path]!), path).toBe(lesson(content));
    }
  });

  it('counts a run dreamed again once: its earlier record is replaced, not compared with', async () => {
    const once = await crossRunMemories(100);
    const twice = await crossRunMemories(100, true);
    expect(Object.keys(twice.memories).sort()).toEqual(Object.keys(once.memories).sort());
    for (const [path, content] of Object.entries(once.memories)) expect(lesson(twice.memories[path]!), path).toBe(lesson(content));
  });
});
