/**
 * Input tokens the claude engine would send for a dream, against sending the raw transcripts:
 * ../shared/data/logchunks (197 build logs) and ../shared/data/swe_trajectories (52 agent
 * sessions). Counted offline with @anthropic-ai/tokenizer (an older Claude tokenizer: the
 * ratios hold, absolute counts for current models differ by some percent). Nothing is sent.
 *
 * - raw: the agent prompt plus each session's original text, every call uncached.
 * - digest: what the engine sends (the local engine's compression), every call uncached.
 * - digest + cache: the stable prefix (prompt, instructions, input store) written once and read
 *   from the prompt cache afterwards; "uncached" counts only what is billed at the full rate.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { countTokens } from '@anthropic-ai/tokenizer';
import { RootPaths } from '../src/core/root.ts';
import { extractorFor, extractorRequest } from '../src/engine/claude/engine.ts';
import { loadAgents } from '../src/outcomes/agents.ts';
import { importSessions } from '../src/sessions/import.ts';
import { readEventsArray } from '../src/sessions/store.ts';
import type { BenchResult } from './run.ts';

const DATA = resolve(import.meta.dirname, '../../shared/data');

interface Row {
  dataset: string;
  sessions: number;
  raw: number;
  digest: number;
  cachedUncached: number;
  cacheReads: number;
}

async function measure(dataset: string, glob: string): Promise<Row> {
  const root = await mkdtemp(join(tmpdir(), 'dw-tokens-'));
  try {
    const paths = new RootPaths(root);
    const report = await importSessions(paths, [join(DATA, glob)]);
    const agents = await loadAgents();
    const row: Row = { dataset, sessions: 0, raw: 0, digest: 0, cachedUncached: 0, cacheReads: 0 };
    let prefixWritten = false;
    for (const session of [...report.imported, ...report.existing]) {
      const events = await readEventsArray(paths, session.id);
      const agent = extractorFor(agents, session.kind);
      const req = extractorRequest(agent, session, events, null, '(the input store is empty)');
      const prefix = countTokens(req.system.map((b) => b.text).join('\n'));
      const user = countTokens(req.user);
      const bytes = await readFile(join(paths.session(session.id), session.source.original_file));
      const raw = countTokens((session.source.gzip ? gunzipSync(bytes) : bytes).toString('utf8'));
      row.sessions++;
      row.raw += prefix + raw;
      row.digest += prefix + user;
      row.cachedUncached += (prefixWritten ? 0 : prefix) + user;
      if (prefixWritten) row.cacheReads += prefix;
      prefixWritten = true;
    }
    return row;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const rows = [await measure('logchunks (build logs)', 'logchunks/*/logs/*.log'), await measure('swe_trajectories (agent sessions)', 'swe_trajectories/*.json')];
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    '| dataset | sessions | raw input tokens | digest, uncached | digest + cache: full-rate tokens | cache reads | raw ÷ full-rate |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.dataset} | ${r.sessions} | ${fmt(r.raw)} | ${fmt(r.digest)} | ${fmt(r.cachedUncached)} | ${fmt(r.cacheReads)} | ${(r.raw / r.cachedUncached).toFixed(1)}× |`),
  ];
  const logs = rows[0]!;
  return {
    name: 'tokens',
    summary: `Claude engine input tokens vs raw transcripts. Build logs: ${(logs.raw / logs.cachedUncached).toFixed(1)}× fewer full-rate input tokens than raw (target ≥ 10×).`,
    markdown: lines.join('\n'),
    json: rows,
  };
}
