/**
 * Memory store limits from the API contract (BRIEF.md, SDK docs). Exported so the repository,
 * the server, the merger and the grader all refuse the same things.
 */

/** A memory path is at most this many UTF-8 bytes. */
export const MAX_PATH_BYTES = 1024;
/** A memory path has 1 to this many `/`-separated segments. */
export const MAX_PATH_SEGMENTS = 20;
/**
 * One segment is at most this many UTF-8 bytes. Not an API rule: every memory is mirrored as a
 * plain file under `tree/`, and filesystems refuse names longer than 255 bytes (NAME_MAX).
 */
export const MAX_SEGMENT_BYTES = 255;
/** A memory's content is at most this many UTF-8 bytes (100 kB). */
export const MAX_CONTENT_BYTES = 102_400;
/** A store holds at most this many live memories. */
export const MAX_MEMORIES_PER_STORE = 2_000;

/** Store fields (SDK: MemoryStoreCreateParams). */
export const MAX_STORE_NAME_CHARS = 255;
export const MAX_STORE_DESCRIPTION_CHARS = 1024;
export const MAX_METADATA_PAIRS = 16;
export const MAX_METADATA_KEY_CHARS = 64;
export const MAX_METADATA_VALUE_CHARS = 512;
