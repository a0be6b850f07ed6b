import { join } from 'node:path';
import { readJson } from '../../core/atomic.ts';
import type { RootPaths } from '../../core/root.ts';
import { Plan, type DreamRecord, type RunConfig } from '../../dreams/schema.ts';
import type { Finding } from '../../engine/findings.ts';
import { leavesByBatch, mergeTree, type MergeTreeStats } from './merging.ts';
import { mergingOf } from './registry.ts';

/** The dream's merge strategy applied to its findings, leaves = the batches of its saved plan. */
export async function mergeTreeFor(paths: RootPaths, dream: DreamRecord, config: RunConfig, findings: readonly Finding[]): Promise<{ findings: Finding[]; stats: MergeTreeStats }> {
  const plan = await readJson(join(paths.dream(dream.id), 'plan.json'), Plan);
  return mergeTree(leavesByBatch(findings, plan), mergingOf(config.strategy).name, config.strategy_options);
}
