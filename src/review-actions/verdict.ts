import { ConflictError, InvalidInputError, NotFoundError } from '../core/errors.ts';
import { assertId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { DreamRepo } from '../dreams/repo.ts';
import type { DreamRecord } from '../dreams/schema.ts';
import { MemoryStoreRepo, type StoreSnapshot } from '../memory/repo.ts';
import { StoreFiles } from '../memory/store-files.ts';
import { isTrusted, readTier } from '../tiers/tier.ts';
import { checkExpected } from './apply.ts';
import { stateAtSeq } from './history.ts';
import { makePlan, type Plan } from './preview.ts';
import { blankFields, listReviews, writeReview } from './records.ts';
import { parseReviewer, type Reviewer, type ReviewerInput, type ReviewRecord } from './schema.ts';
import { snapshotState } from './state.ts';

/**
 * Approve or reject a completed dream's output. The preview is the dream's own change (its
 * output against what it started from); the action writes one memory, /reviews/<dream>.md, the
 * verdict with the reviewer's note, as a version by the reviewer. Reject also, for a create_new dream whose output is a working store, archives that
 * store so it cannot be promoted; an update_existing dream wrote into its input store, which is
 * left alone (undo it with a rollback). Neither ever touches a trusted store.
 */
export type Verdict = 'approve' | 'reject';

function outputOf(dream: DreamRecord): string {
  const out = dream.outputs[0]?.memory_store_id;
  if (dream.status !== 'completed' || !out) {
    throw new InvalidInputError('dream_not_completed', `dream_id: dream ${dream.id} is ${dream.status}; only a completed dream's output can be approved or rejected`, { field: 'dream_id' });
  }
  return out;
}

function inputOf(dream: DreamRecord): string | null {
  for (const i of dream.inputs) if (i.type === 'memory_store') return i.memory_store_id;
  return null;
}

/** What the store looked like before the dream wrote it. */
async function before(paths: RootPaths, dream: DreamRecord, output: string): Promise<StoreSnapshot> {
  if (dream.output_behavior.type === 'update_existing') {
    const versions = await new StoreFiles(paths, output).readAllVersions();
    const mine = versions.filter((v) => v.created_by?.type === 'session_actor' && v.created_by.session_id === dream.session_id);
    const first = Math.min(...mine.map((v) => v.seq));
    return Number.isFinite(first) ? stateAtSeq(versions, first - 1, 'skip') : new MemoryStoreRepo(paths).snapshot(output);
  }
  const input = inputOf(dream);
  // The input of a create_new dream may have been deleted since; then every memory is new.
  return input ? new MemoryStoreRepo(paths).snapshot(input).catch(() => []) : [];
}

async function priorVerdict(paths: RootPaths, dreamId: string): Promise<ReviewRecord | undefined> {
  return (await listReviews(paths, { dream: dreamId })).find((r) => r.action === 'approve' || r.action === 'reject');
}

export async function planVerdict(paths: RootPaths, dreamId: unknown, action: Verdict): Promise<Plan & { archive: boolean }> {
  const dream = await new DreamRepo(paths).get(assertId('dream', dreamId, 'dream_id'));
  const output = outputOf(dream);
  const prior = await priorVerdict(paths, dream.id);
  if (prior?.action === 'reject') {
    throw new ConflictError('dream_already_rejected', `dream_id: dream ${dream.id} was rejected by ${prior.reviewer} in review ${prior.id}`, 'conflict_error', { review_id: prior.id });
  }
  const tier = await readTier(paths.store(output));
  const archive = action === 'reject' && dream.output_behavior.type === 'create_new' && !isTrusted(tier);
  const verdictPath = verdictMemoryPath(dream.id);
  const effect =
    action === 'approve'
      ? `records the approval of ${output} as ${verdictPath} (a version by the reviewer, with the note)`
      : archive
        ? `records the rejection as ${verdictPath} and archives working store ${output} so it cannot be promoted`
        : `records the rejection as ${verdictPath} in ${output}; the dream's memories are left as they are (use dream rollback to undo what the dream wrote)`;
  const after = await new MemoryStoreRepo(paths).snapshot(output);
  const plan = makePlan(
    {
      action,
      memory_store_id: output,
      tier,
      from_memory_store_id: inputOf(dream),
      dream_id: dream.id,
      paths: null,
      to_review_id: null,
      to_seq: null,
      effect,
    },
    await before(paths, dream, output),
    after,
  );
  // The record's state hashes are the output store's, as approved or rejected.
  return { ...plan, currentState: snapshotState(after), archive };
}

export async function applyVerdict(paths: RootPaths, req: { dream_id: unknown; expected_state: unknown }, action: Verdict, reviewer: ReviewerInput): Promise<ReviewRecord> {
  const who = parseReviewer(reviewer);
  const plan = await planVerdict(paths, req.dream_id, action);
  checkExpected(plan, req.expected_state);
  const storeId = plan.preview.memory_store_id;
  const repo = new MemoryStoreRepo(paths, { privileged: true });
  // The verdict is a memory version by the reviewer, with the note, written before an archive
  // (an archived store takes no writes), so the store's own history says who approved it and why.
  const versionId = await writeVerdictMemory(repo, storeId, plan.preview.dream_id!, action, who);
  if (plan.archive) await repo.archiveStore(storeId);
  return writeReview(paths, who, {
    ...blankFields(storeId),
    action,
    dream_id: plan.preview.dream_id,
    from_memory_store_id: plan.preview.from_memory_store_id,
    version_ids: [versionId],
    changes: plan.preview.changes.map((c) => ({ path: c.path, status: c.status })),
    state_before: plan.currentState,
    state_after: snapshotState(await repo.snapshot(storeId)),
    archived_store: plan.archive,
  });
}

/** Where a dream's verdict is kept in its output store: one memory per dream. */
export function verdictMemoryPath(dreamId: string): string {
  return `/reviews/${dreamId}.md`;
}

async function writeVerdictMemory(repo: MemoryStoreRepo, storeId: string, dreamId: string, action: Verdict, who: Reviewer): Promise<string> {
  const path = verdictMemoryPath(dreamId);
  const verb = action === 'approve' ? 'Approved' : 'Rejected';
  const content = [
    `# ${verb}: the output of dream ${dreamId}`,
    '',
    `${verb} by ${who.reviewer} on ${new Date().toISOString()}.`,
    '',
    ...who.note.split('\n').map((l) => `> ${l}`),
    '',
  ].join('\n');
  const existing = await repo.getMemoryByPath(storeId, path).catch((e: unknown) => {
    if (e instanceof NotFoundError) return null;
    throw e;
  });
  const mem = existing
    ? await repo.updateMemory(storeId, existing.id, { content }, who.actor)
    : await repo.createMemory(storeId, { path, content }, who.actor);
  return mem.memory_version_id;
}
