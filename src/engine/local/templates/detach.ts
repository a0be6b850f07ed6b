/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 keeps a substring of
 * 13 or more characters as a view into its parent, so a cache key or a template token sliced
 * from a line would keep alive the whole decoded chunk (1 MB or more) the line came from: a few
 * thousand such keys spread over a 2 GB log pin gigabytes. Concatenating then slicing forces V8
 * to flatten into a fresh string. Only called for what is kept (cache misses, new templates).
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
