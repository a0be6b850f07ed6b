import { ConflictError, InvalidInputError } from '../core/errors.ts';
import { assertId } from '../core/ids.ts';
import type { RootPaths } from '../core/root.ts';
import { comparePaths, validateMemoryPath } from '../memory/paths.ts';
import { MemoryStoreRepo } from '../memory/repo.ts';
import { validateSnapshot, type StoreSnapshot } from '../memory/snapshot.ts';
import { isTrusted, readTier } from '../tiers/tier.ts';
import { applyPlan } from './apply.ts';
import { makePlan, type Plan } from './preview.ts';
import { listReviews } from './records.ts';
import { parseReviewer, type ReviewerInput, type ReviewRecord } from './schema.ts';

/**
 * Promotion: memories of a working store (usually a dream's output) written into a project or
 * org store. With `paths`, exactly those memories (a path ending in `/` selects a folder):
 * each one takes the source's content, or is removed from the target when the source no longer
 * has it. Without, the target becomes an exact copy of the source. Never automatic: only
 * `dream promote` and POST /v1/review/promote call this, with a reviewer and a note.
 */
export interface PromoteRequest {
  from: unknown;
  to: unknown;
  paths?: unknown;
}

function parseSelection(raw: unknown): string[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new InvalidInputError('invalid_promote_paths', 'paths: expected a non-empty list of memory paths (leave it out to promote the whole store)', { field: 'paths' });
  }
  const out = raw.map((p: unknown, i) => {
    const field = `paths[${i}]`;
    if (typeof p === 'string' && p.length > 1 && p.endsWith('/')) return `${validateMemoryPath(p.slice(0, -1), field)}/`;
    return validateMemoryPath(p, field);
  });
  return [...new Set(out)].sort(comparePaths);
}

/** The selected paths present in either store; a selector that matches nothing is an error naming it. */
function selectedPaths(selection: readonly string[], source: StoreSnapshot, target: StoreSnapshot, from: string, to: string): Set<string> {
  const all = [...new Set([...source.map((e) => e.path), ...target.map((e) => e.path)])];
  const out = new Set<string>();
  for (const sel of selection) {
    const hits = sel.endsWith('/') ? all.filter((p) => p.startsWith(sel)) : all.filter((p) => p === sel);
    if (hits.length === 0) {
      throw new InvalidInputError('promote_unknown_path', `paths: ${JSON.stringify(sel)} matches no memory in ${from} or ${to}`, { field: 'paths', path: sel });
    }
    for (const h of hits) out.add(h);
  }
  return out;
}

async function assertNotRejected(paths: RootPaths, storeId: string): Promise<void> {
  const verdict = (await listReviews(paths, { store: storeId })).find(
    (r) => r.memory_store_id === storeId && (r.action === 'approve' || r.action === 'reject'),
  );
  if (verdict?.action === 'reject') {
    throw new ConflictError('store_rejected', `from: store ${storeId} is the output of dream ${verdict.dream_id ?? '?'}, rejected by ${verdict.reviewer} in review ${verdict.id}; it cannot be promoted`, 'conflict_error', {
      review_id: verdict.id,
    });
  }
}

export async function planPromote(paths: RootPaths, req: PromoteRequest): Promise<Plan> {
  const from = assertId('store', req.from, 'from');
  const to = assertId('store', req.to, 'to');
  if (from === to) throw new InvalidInputError('promote_same_store', `to: ${to} is also the source; promote from a working store into another store`, { field: 'to' });
  const selection = parseSelection(req.paths);
  const repo = new MemoryStoreRepo(paths);
  await repo.getStore(from);
  await repo.getStore(to);
  const fromTier = await readTier(paths.store(from));
  if (isTrusted(fromTier)) {
    throw new InvalidInputError('promote_source_trusted', `from: ${from} is a ${fromTier}-tier store; promotion takes memories from a working store`, { field: 'from' });
  }
  const toTier = await readTier(paths.store(to));
  if (!isTrusted(toTier)) {
    throw new InvalidInputError(
      'promote_target_not_trusted',
      `to: ${to} is a working store; promotion goes into a project or org store (an administrator sets one with \`dream stores tier\`)`,
      { field: 'to' },
    );
  }
  await assertNotRejected(paths, from);

  const source = await repo.snapshot(from);
  const current = await repo.snapshot(to);
  let desired: StoreSnapshot;
  if (selection === null) {
    desired = source;
  } else {
    const chosen = selectedPaths(selection, source, current, from, to);
    const next = new Map(current.map((e) => [e.path, e.content]));
    const src = new Map(source.map((e) => [e.path, e.content]));
    for (const p of chosen) {
      const content = src.get(p);
      if (content === undefined) next.delete(p);
      else next.set(p, content);
    }
    desired = validateSnapshot([...next].map(([path, content]) => ({ path, content })), 'promoted');
  }
  return makePlan(
    {
      action: 'promote',
      memory_store_id: to,
      tier: toTier,
      from_memory_store_id: from,
      dream_id: null,
      paths: selection,
      to_review_id: null,
      to_seq: null,
      effect: `writes the changes below into ${toTier} store ${to}, as versions attributed to the reviewer`,
    },
    current,
    desired,
  );
}

export async function applyPromote(paths: RootPaths, req: PromoteRequest & { expected_state: unknown }, reviewer: ReviewerInput): Promise<ReviewRecord> {
  const who = parseReviewer(reviewer);
  const plan = await planPromote(paths, req);
  return applyPlan(paths, plan, req.expected_state, who, {
    from_memory_store_id: plan.preview.from_memory_store_id,
    paths: plan.preview.paths,
  });
}
