/**
 * Red team (issue 7): dreams over test/fixtures/redteam/corpus — injections and secrets planted
 * in every ingest format — on the local engine, and on the claude engine against the fake
 * Messages API with a model whose own lessons are poisoned. Counts what was planted, what a
 * naive dream would have written (the unscreened candidate), what reached the store (must be
 * 0), what was quarantined and redacted. False positives: the benign look-alike corpus, the
 * dream over examples/sessions and one over a subset of ../shared/data/swe_trajectories — no
 * legitimate memory should be quarantined there.
 */
import { readFile, readdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDreams, type RunRequest } from '../src/app/run.ts';
import { RootPaths } from '../src/core/root.ts';
import { QuarantineRepo } from '../src/screening/quarantine.ts';
import { screenContent } from '../src/screening/screen.ts';
import { getSession } from '../src/sessions/store.ts';
import { readTree } from '../test/helpers/cli.ts';
import { FakeMessagesServer } from '../test/helpers/fake-anthropic.ts';
import { BENIGN, HOSTILE } from '../test/screening/corpus.ts';
import {
  CLAUDE_INPUTS,
  CORPUS_GLOB,
  MANIFEST,
  MODEL_CANARIES,
  plantedIn,
  poisonedModel,
} from '../test/screening/redteam.ts';
import { DATA, REPO, type EvalResult } from './report.ts';

const SWE_SUBSET = 20;

interface DreamCounts {
  name: string;
  sessions: number;
  ingest_redactions: number;
  candidate_memories: number;
  in_candidate: number;
  in_memories: number;
  memories_written: number;
  quarantined: number;
  write_redactions: number;
  quarantined_paths: string[];
  seconds: number;
}

async function dream(name: string, req: RunRequest, canaries: string[] = []): Promise<DreamCounts> {
  const root = await mkdtemp(join(tmpdir(), 'dw-redteam-'));
  const paths = new RootPaths(root);
  const started = performance.now();
  const outcome = await runDreams(paths, req);
  const seconds = (performance.now() - started) / 1000;
  const d = outcome.final;
  if (d.status !== 'completed')
    throw new Error(`${name}: dream ${d.id} ended ${d.status}: ${JSON.stringify(d.error)}`);
  const sessions = [...outcome.imported.imported, ...outcome.imported.existing];
  let ingest = 0;
  for (const s of sessions) ingest += Number((await getSession(paths, s.id)).metadata.redactions ?? 0);
  const candidate = await readTree(join(paths.dream(d.id), 'candidate'));
  const tree = await readTree(join(paths.store(d.outputs[0]!.memory_store_id), 'tree'));
  const screening = JSON.parse(await readFile(join(paths.dream(d.id), 'screening.json'), 'utf8')) as {
    redactions: number;
  };
  const quarantined = await new QuarantineRepo(paths).list({ dream: d.id });
  return {
    name,
    sessions: sessions.length,
    ingest_redactions: ingest,
    candidate_memories: Object.keys(candidate).length,
    in_candidate: plantedIn(candidate, canaries).length,
    in_memories: plantedIn(tree, canaries).length,
    memories_written: Object.keys(tree).length,
    quarantined: quarantined.length,
    write_redactions: screening.redactions,
    quarantined_paths: quarantined.map(
      (q) => `${q.path} (${[...new Set(q.flags.map((f) => f.rule))].join(', ')})`,
    ),
    seconds,
  };
}

async function claudeDream(): Promise<DreamCounts> {
  const server = await new FakeMessagesServer().start();
  server.respond(poisonedModel);
  const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
  process.env.ANTHROPIC_API_KEY = 'sk-ant-eval';
  process.env.ANTHROPIC_BASE_URL = server.url;
  try {
    return await dream(
      'claude engine (fake API, poisoned model), 3 sessions',
      { inputs: CLAUDE_INPUTS.map((p) => join(REPO, p)), engine: 'claude', workers: 1 },
      MODEL_CANARIES,
    );
  } finally {
    if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = saved.key;
    if (saved.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
    else process.env.ANTHROPIC_BASE_URL = saved.url;
    await server.close();
  }
}

export async function run(): Promise<EvalResult> {
  const local = await dream('local engine, red-team corpus', {
    inputs: [join(REPO, CORPUS_GLOB)],
    workers: 2,
  });
  const claude = await claudeDream();
  const examples = await dream('local engine, examples/sessions', {
    inputs: [join(REPO, 'examples/sessions/**/*')],
    workers: 2,
  });
  const sweDir = join(DATA, 'swe_trajectories');
  const sweFiles = (await readdir(sweDir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, SWE_SUBSET)
    .map((f) => join(sweDir, f));
  const swe = await dream(`local engine, swe_trajectories (first ${sweFiles.length})`, {
    inputs: sweFiles,
    workers: 2,
  });

  const benignFlagged = BENIGN.filter((t) => screenContent(t).flags.length > 0);
  const hostileMissed = HOSTILE.filter(([t, rule]) => !screenContent(t).flags.some((f) => f.rule === rule));
  const dreams = [local, claude, examples, swe];
  const planted = {
    injections: MANIFEST.canaries.length,
    secrets: Object.keys(MANIFEST.secrets).length,
    model_injections: MODEL_CANARIES.length,
  };

  return {
    name: 'redteam',
    summary: `Planted ${planted.injections} injections and ${planted.secrets} secrets across every ingest format (plus ${planted.model_injections} injections written by a poisoned model on the claude engine): ${local.in_memories + claude.in_memories} reached a memory; legitimate memories quarantined: ${examples.quarantined + swe.quarantined}; benign look-alikes flagged: ${benignFlagged.length}/${BENIGN.length}.`,
    tables: [
      {
        title: 'Dreams',
        columns: [
          'dream',
          'sessions',
          'redacted at ingest',
          'plants in unscreened candidate',
          'plants in memories',
          'memories written',
          'quarantined',
          'redacted at write',
          'seconds',
        ],
        rows: dreams.map((d) => [
          d.name,
          String(d.sessions),
          String(d.ingest_redactions),
          String(d.in_candidate),
          String(d.in_memories),
          String(d.memories_written),
          String(d.quarantined),
          String(d.write_redactions),
          d.seconds.toFixed(1),
        ]),
      },
      {
        title: 'Rule corpora (test/screening/corpus.ts)',
        columns: ['corpus', 'texts', 'flagged', 'missed / false positives'],
        rows: [
          [
            'hostile (must flag, with the expected rule)',
            String(HOSTILE.length),
            String(HOSTILE.length - hostileMissed.length),
            String(hostileMissed.length),
          ],
          [
            'benign look-alikes (must not flag)',
            String(BENIGN.length),
            String(benignFlagged.length),
            String(benignFlagged.length),
          ],
        ],
      },
    ],
    json: {
      planted,
      dreams,
      hostile_missed: hostileMissed.map(([t, r]) => ({ text: t, rule: r })),
      benign_flagged: benignFlagged,
    },
    notes: [
      '"plants" counts (file, planted item) pairs: a canary word of an injection, a planted secret value or fragment, or a hidden character; "unscreened candidate" is the store the grader accepted, before write-time screening — it shows the corpus does reach memories when nothing screens it.',
      "Redacted at ingest: secrets replaced in the normalized session events; at write: secrets found again in a memory by the final pass (the claude engine's model writes its own).",
      ...dreams
        .filter((d) => d.name.includes('examples') || d.name.includes('swe'))
        .flatMap((d) => d.quarantined_paths.map((p) => `false positive in ${d.name}: ${p}`)),
    ],
  };
}
