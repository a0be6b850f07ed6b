/**
 * `npm run eval -- <name> [<name>…]`: quality evaluations on the real data in ../shared/data.
 * Each evaluation is a module in eval/ exporting `run(): Promise<EvalResult>`; results are printed
 * and written to docs/eval/<name>.{md,json}. With no name, the list of evaluations is printed.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA, REPO, publish, type EvalResult } from './report.ts';

const EVALUATIONS: Record<string, { file: string; description: string }> = {
  loghub: { file: 'loghub.ts', description: 'template mining: GA and FGA per Loghub system, next to Drain' },
  logchunks: { file: 'logchunks.ts', description: 'failure chunk recall/precision, hit@1, grouping ARI and pairwise F1' },
  updates: { file: 'updates.ts', description: 'facts/preferences changing over time: final values, stale values, false contradictions' },
  locomo: { file: 'locomo.ts', description: 'LoCoMo: BM25 recall@k over memory entries vs raw turns, store size' },
  swe: { file: 'swe.ts', description: 'SWE-agent sessions: claim verifiability, recurring-signature recall, outcome association' },
  redteam: { file: 'redteam.ts', description: 'planted injections/secrets in every format: none in memories, quarantined, redacted; false positives' },
  cidiff: { file: 'cidiff.ts', description: 'error-line precision/recall on fail.log, with and without pass.log, vs an LCS diff' },
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (names.length === 0) {
    process.stdout.write('usage: npm run eval -- <name> [<name>…]\n\n');
    for (const [name, e] of Object.entries(EVALUATIONS)) process.stdout.write(`  ${name.padEnd(10)} ${e.description}\n`);
    return;
  }
  try {
    await access(DATA);
  } catch {
    throw new Error(`evaluation data not found at ${DATA} (expected ../shared/data beside the checkout)`);
  }
  for (const name of names) {
    const entry = EVALUATIONS[name];
    if (!entry) throw new Error(`unknown evaluation ${JSON.stringify(name)}; known: ${Object.keys(EVALUATIONS).join(', ')}`);
    const mod = (await import(join(REPO, 'eval', entry.file))) as { run: () => Promise<EvalResult> };
    await publish(await mod.run());
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`eval: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
