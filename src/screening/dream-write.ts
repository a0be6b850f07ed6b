import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../core/atomic.ts';
import type { RootPaths } from '../core/root.ts';
import type { DreamEventLog } from '../dreams/event-log.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import { parseMemory } from '../merger/parse.ts';
import { QuarantineRepo, type QuarantineEntry } from './quarantine.ts';
import { describeFlags, screenContent } from './screen.ts';

export interface DreamScreening {
  /** What may be written: flagged memories dropped, secrets redacted. */
  snapshot: StoreSnapshot;
  quarantined: QuarantineEntry[];
  redactions: number;
}

/**
 * The last step before a dream's candidate becomes a store: every memory is screened, flagged
 * ones are dropped and quarantined with the sessions and lines they cite, secrets are redacted
 * once more. Index lines that point at a dropped memory (the store README lists titles) are
 * removed, and what remains is screened again. Counts go to the dream's event log, its
 * screening.json and a section of report.md.
 */
export async function screenDreamWrite(
  paths: RootPaths,
  dream: DreamRecord,
  storeId: string,
  candidate: StoreSnapshot,
  log: DreamEventLog,
): Promise<DreamScreening> {
  const quarantine = new QuarantineRepo(paths);
  const quarantined: QuarantineEntry[] = [];
  let redactions = 0;
  const first = candidate.map((m) => ({ memory: m, result: screenContent(m.content) }));
  const dropped = new Set(first.filter((x) => x.result.flags.length > 0).map((x) => x.memory.path));
  const kept: StoreSnapshot = [];
  for (let { memory, result } of first) {
    // An index (the store README lists every memory by path and title) repeats what a dropped
    // memory said: its lines naming a dropped memory go, and the rest is screened again.
    const named = [...dropped].filter((p) => p !== memory.path && memory.content.includes(`\`${p}\``));
    if (named.length > 0) {
      const lines = memory.content.split('\n').filter((l) => !named.some((p) => l.includes(`\`${p}\``)));
      memory = { path: memory.path, content: lines.join('\n') };
      result = screenContent(memory.content);
    }
    redactions += result.redactions;
    if (result.flags.length === 0) {
      kept.push({ path: memory.path, content: result.content });
      continue;
    }
    const entry = parseMemory(memory.path, result.content);
    quarantined.push(
      await quarantine.add({
        source: { type: 'dream', dream_id: dream.id, session_id: dream.session_id },
        memory_store_id: storeId,
        path: memory.path,
        flags: result.flags,
        content: result.content,
        sessions: entry?.sessions ?? [],
        evidence: (entry?.evidence ?? []).map((e) => ({
          session_id: e.session_id,
          event_id: e.event_id,
          lines: e.lines,
          quote: e.quote,
        })),
      }),
    );
  }

  const summary = {
    memories: candidate.length,
    written: kept.length,
    quarantined: quarantined.length,
    redactions,
    quarantine: quarantined.map((q) => ({
      id: q.id,
      path: q.path,
      rules: [...new Set(q.flags.map((f) => f.rule))],
    })),
  };
  const dir = paths.dream(dream.id);
  await writeJsonAtomic(join(dir, 'screening.json'), summary);
  await log.append('dream.screened', summary);
  const report = [
    '',
    '## Screening',
    '',
    `- memories screened: ${candidate.length}, written: ${kept.length}`,
    `- quarantined: ${quarantined.length}`,
    `- secrets redacted at write time: ${redactions}`,
  ];
  for (const q of quarantined) report.push(`- \`${q.path}\` → ${q.id}: ${describeFlags(q.flags)}`);
  if (quarantined.length > 0) report.push('', `See them with \`dream quarantine list --dream ${dream.id}\`.`);
  // Replace, not append: a dream resumed after this point screens again and rewrites the section.
  const reportFile = join(dir, 'report.md');
  const before = await readFile(reportFile, 'utf8').catch(() => '');
  const cut = before.indexOf('\n## Screening\n');
  await writeFileAtomic(reportFile, (cut === -1 ? before : before.slice(0, cut)) + report.join('\n') + '\n');
  return { snapshot: kept, quarantined, redactions };
}
