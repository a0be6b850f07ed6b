/**
 * Shared by the conversation evaluations: import transcript files into a fresh temp root, one at a
 * time so their order is the given order, then dream over them with one dream per session, each
 * reading the previous one's output store — the way sessions arrive in real use.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunConfig, dreamOverSessions } from '../src/app/run.ts';
import { RootPaths } from '../src/core/root.ts';
import { MemoryStoreRepo } from '../src/memory/repo.ts';
import { importSessions } from '../src/sessions/import.ts';
import type { StoreSnapshot } from '../src/merger/types.ts';

export interface DreamedStore {
  root: string;
  /** Session id of each input file, in input order. */
  sessionIds: string[];
  snapshot: StoreSnapshot;
}

export async function dreamInOrder(files: readonly string[], label: string): Promise<DreamedStore> {
  const root = await mkdtemp(join(tmpdir(), `dreamwork-eval-${label}-`));
  const paths = new RootPaths(root);
  const sessionIds: string[] = [];
  for (const f of files) {
    const r = await importSessions(paths, [f]);
    const s = [...r.imported, ...r.existing][0];
    if (!s) throw new Error(`${f}: not imported (${JSON.stringify(r.failed)})`);
    sessionIds.push(s.id);
  }
  const req = { workers: 1, maxSessions: 1 };
  const config = await buildRunConfig({ ...req, inputs: [] });
  const dreams = await dreamOverSessions(paths, sessionIds, req, config);
  const last = dreams.at(-1)!;
  if (last.status !== 'completed') throw new Error(`dream ${last.id} ended ${last.status}: ${JSON.stringify(last.error)}`);
  const storeId = last.outputs[0]!.memory_store_id;
  return { root, sessionIds, snapshot: await new MemoryStoreRepo(paths).snapshot(storeId) };
}
