import { sha256Hex } from '../core/ids.ts';
import { comparePaths } from '../memory/paths.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';

/**
 * A store's state as one hash: sha256 over its live (path, content sha256) pairs in path order.
 * Two stores with the same memories have the same state whatever their history.
 */
export function stateOf(entries: readonly { path: string; content_sha256: string }[]): string {
  const lines = [...entries].sort((a, b) => comparePaths(a.path, b.path)).map((e) => `${e.path}\0${e.content_sha256}\n`);
  return sha256Hex(lines.join(''));
}

export function snapshotState(snap: StoreSnapshot): string {
  return stateOf(snap.map((e) => ({ path: e.path, content_sha256: sha256Hex(e.content) })));
}

/**
 * The token a preview hands out (`expected_state`) and an apply must bring back: the target's
 * state now and the state the action will leave it in. Any change to the target, to the source
 * of a promotion, or to the selection makes a different token, so an apply never does something
 * other than what was previewed.
 */
export function previewToken(action: string, targetState: string, resultState: string): string {
  return sha256Hex(`${action}\0${targetState}\0${resultState}`);
}
