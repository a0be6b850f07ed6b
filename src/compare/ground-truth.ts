/**
 * Quality against ground truth, when the compared sessions come from a labelled data set in
 * ../shared/data. The scoring is the evaluations' own (eval/logchunks.ts, eval/swe.ts): labels
 * are read here, for scoring only — the dreams never see them.
 *
 *   logchunks   builds grouped by the failure memory that lists them vs the labelled failure
 *               categories, per repository (pairwise F1, ARI); coverage = builds listed by some
 *               failure memory; chunk precision = cited line ranges that overlap the gold chunk
 *   swe         recurring-signature recall against the raw transcripts, claim verifiability
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { adjustedRand, goldLines, pairwise } from '../../eval/logchunks.ts';
import { readSweLabels, readTranscript, scoreSweStore, type Transcript } from '../../eval/swe.ts';
import type { RootPaths } from '../core/root.ts';
import type { MemoryEntry, StoreSnapshot } from '../merger/types.ts';
import { cmpStr } from '../merger/canonical.ts';
import { getSession } from '../sessions/store.ts';

interface Build {
  session: string;
  repo: string;
  category: number;
  gold: Set<number> | null;
}

export interface GroundTruthScore {
  logchunks?: { builds: number; coverage: number; chunk_precision: number | null; pairwise_f1: number; ari: number };
  swe?: { sessions: number; recall: number; signatures: number; claim_verifiability: number | null; claims: number };
  /** The headline: logchunks pairwise F1 and/or swe recall (their mean when both apply). */
  quality: number | null;
}

export interface GroundTruth {
  datasets: string[];
  score(store: StoreSnapshot, entries: readonly MemoryEntry[]): GroundTruthScore;
}

const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

async function logchunksBuilds(paths: RootPaths, sessionIds: readonly string[]): Promise<Build[]> {
  const labelsByDir = new Map<string, { InputPath: string; Category: number; Chunk: string }[] | null>();
  const builds: Build[] = [];
  for (const id of sessionIds) {
    const file = (await getSession(paths, id)).source.path;
    const repoDir = dirname(dirname(file));
    if (basename(dirname(file)) !== 'logs') continue;
    if (!labelsByDir.has(repoDir)) {
      const f = join(repoDir, 'labels.json');
      labelsByDir.set(repoDir, existsSync(f) ? JSON.parse(await readFile(f, 'utf8')) : null);
    }
    const label = labelsByDir.get(repoDir)?.find((l) => basename(l.InputPath) === basename(file));
    if (!label || !existsSync(file)) continue;
    builds.push({ session: id, repo: basename(repoDir), category: label.Category, gold: goldLines(await readFile(file, 'utf8'), label.Chunk)?.lines ?? null });
  }
  return builds;
}

function scoreLogchunks(builds: readonly Build[], entries: readonly MemoryEntry[]): NonNullable<GroundTruthScore['logchunks']> {
  const failures = entries.filter((e) => e.kind === 'failure');
  // A build's group: the failure memory listing it that was seen most (ties: path order).
  const groupOf = (s: string): string => {
    const listing = failures.filter((e) => e.sessions.includes(s)).sort((a, b) => b.occurrences - a.occurrences || cmpStr(a.path, b.path));
    return listing[0]?.path ?? `none:${s}`;
  };
  const bySession = new Map(builds.map((b) => [b.session, b]));
  let cited = 0;
  let inChunk = 0;
  for (const e of failures.flatMap((f) => f.evidence)) {
    const gold = bySession.get(e.session_id)?.gold;
    if (!gold || !e.lines) continue;
    cited++;
    for (let l = e.lines[0]; l <= e.lines[1]; l++) {
      if (gold.has(l)) {
        inChunk++;
        break;
      }
    }
  }
  const repos = [...new Set(builds.map((b) => b.repo))].sort(cmpStr);
  const perRepo = repos
    .map((r) => builds.filter((b) => b.repo === r))
    .filter((bs) => bs.length >= 2)
    .map((bs) => ({ pw: pairwise(bs.map((b) => groupOf(b.session)), bs.map((b) => b.category)).f1, ari: adjustedRand(bs.map((b) => groupOf(b.session)), bs.map((b) => b.category)) }));
  return {
    builds: builds.length,
    coverage: builds.filter((b) => !groupOf(b.session).startsWith('none:')).length / Math.max(1, builds.length),
    chunk_precision: cited === 0 ? null : inChunk / cited,
    pairwise_f1: mean(perRepo.map((r) => r.pw)),
    ari: mean(perRepo.map((r) => r.ari)),
  };
}

async function sweData(paths: RootPaths, sessionIds: readonly string[]) {
  const bySession = new Map<string, Transcript>();
  let labels: Map<string, boolean> | null = null;
  for (const id of sessionIds) {
    const file = (await getSession(paths, id)).source.path;
    if (!file.endsWith('.json') || !existsSync(join(dirname(file), 'labels.csv')) || !existsSync(file)) continue;
    labels ??= await readSweLabels(dirname(file));
    bySession.set(id, await readTranscript(file));
  }
  return labels && bySession.size > 0 ? { bySession, labels, transcripts: [...bySession.values()] } : null;
}

/** Labels for the compared sessions, found beside their source files; none → quality is null. */
export async function loadGroundTruth(paths: RootPaths, sessionIds: readonly string[]): Promise<GroundTruth> {
  const builds = await logchunksBuilds(paths, sessionIds);
  const swe = await sweData(paths, sessionIds);
  const datasets = [...(builds.length > 0 ? ['logchunks'] : []), ...(swe ? ['swe_trajectories'] : [])];
  return {
    datasets,
    score(store, entries) {
      const out: GroundTruthScore = { quality: null };
      const headlines: number[] = [];
      if (builds.length > 0) {
        out.logchunks = scoreLogchunks(builds, entries);
        headlines.push(out.logchunks.pairwise_f1);
      }
      if (swe) {
        const s = scoreSweStore(store, swe.bySession, swe.transcripts, swe.labels);
        out.swe = { sessions: swe.bySession.size, recall: s.recall, signatures: s.recallRows.length, claim_verifiability: s.claims.length === 0 ? null : s.verified / s.claims.length, claims: s.claims.length };
        headlines.push(s.recall);
      }
      out.quality = headlines.length === 0 ? null : mean(headlines);
      return out;
    },
  };
}
