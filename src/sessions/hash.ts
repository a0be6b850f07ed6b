import { ContentIdHasher as CoreHasher, contentId } from '../core/ids.ts';

/**
 * Streaming session ids: the same as `contentId('session', bytes)` but fed chunk by chunk, so a
 * 2 GB log is never held in memory to hash it.
 */
export class ContentIdHasher extends CoreHasher {
  override digestId(): string {
    this.endPart();
    return super.digestId();
  }
}

/** Self-check used by tests: the streaming id must equal the one computed from a Buffer. */
export function streamingIdMatchesCore(sample: Uint8Array): boolean {
  const h = new ContentIdHasher('session');
  h.update(sample);
  return h.digestId() === contentId('session', sample);
}
