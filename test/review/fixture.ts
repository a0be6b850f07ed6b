import { join } from 'node:path';
import { RootPaths } from '../../src/core/root.ts';
import { runDreams } from '../../src/app/run.ts';
import type { DreamRecord } from '../../src/dreams/schema.ts';
import { REPO } from '../helpers/cli.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

export interface ReviewFixture {
  t: TestServer;
  paths: RootPaths;
  /** The first dream, over three of the examples. */
  first: DreamRecord;
  /** The dream under review: all the examples on top of the first dream's output. */
  dream: DreamRecord;
  input: string;
  output: string;
}

const EARLY = ['agent/2026-11-02-fix-cart-total.jsonl', 'ci/run-101.log', 'ci/run-102.log'];

/**
 * A real `dream serve` whose root holds two completed dreams: one over three of the bundled
 * examples, then one over all of them on top of its output. The second one's diff has every
 * kind of change a reviewer meets: added and changed memories, and a superseded value (the
 * staging database moved between the 2 and the 4 November sessions).
 */
export async function serverWithDream(): Promise<ReviewFixture> {
  const t = await startTestServer();
  const paths = new RootPaths(t.root);
  const examples = join(REPO, 'examples/sessions');
  const first = (await runDreams(paths, { inputs: EARLY.map((f) => join(examples, f)), workers: 1 })).final;
  const firstOut = first.outputs[0]?.memory_store_id;
  if (first.status !== 'completed' || !firstOut) throw new Error(`fixture dream did not complete: ${JSON.stringify(first)}`);
  const { final } = await runDreams(paths, { inputs: [join(examples, '**/*')], storeId: firstOut, workers: 1 });
  const output = final.outputs[0];
  if (final.status !== 'completed' || !output) throw new Error(`fixture dream did not complete: ${JSON.stringify(final)}`);
  return { t, paths, first, dream: final, input: firstOut, output: output.memory_store_id };
}

/** A real `dream serve` whose root holds one completed dream over the red-team corpus. */
export interface QuarantineFixture {
  t: TestServer;
  paths: RootPaths;
  dream: DreamRecord;
  output: string;
}

/**
 * The red-team corpus (test/fixtures/redteam) dreamt over by the local engine: screening drops
 * the memories that carry its planted injections, hidden characters and blobs into the
 * quarantine, each with the sessions and lines it cited.
 */
export async function serverWithQuarantine(): Promise<QuarantineFixture> {
  const t = await startTestServer();
  const paths = new RootPaths(t.root);
  const { final } = await runDreams(paths, { inputs: [join(REPO, 'test/fixtures/redteam/corpus/**/*')], workers: 1 });
  const output = final.outputs[0];
  if (final.status !== 'completed' || !output) throw new Error(`red-team dream did not complete: ${JSON.stringify(final)}`);
  return { t, paths, dream: final, output: output.memory_store_id };
}
