import type { Flag } from './types.ts';
import { excerptOf, lineAt } from './excerpt.ts';

/**
 * Long encoded runs: a memory is read by a model that can decode base64 or hex, so a blob is
 * a place to hide instructions or data a reviewer cannot read. Thresholds sit above what
 * legitimate memories quote: a sha512 integrity value is 88 base64 characters, a sha256 64 hex.
 */
export const BASE64_MIN = 120;
export const HEX_MIN = 160;
const BASE64_RUN = new RegExp(String.raw`[A-Za-z0-9+/_-]{${BASE64_MIN},}={0,2}`, 'g');
const HEX_RUN = new RegExp(String.raw`(?:[0-9a-fA-F]{2}[\s:]?){${HEX_MIN / 2},}`, 'g');

export function findEncodedBlobs(text: string): Flag[] {
  const flags: Flag[] = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0];
    // A run of one character class (a long path of words, a row of dashes) is not an encoding.
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/\d/.test(run)) continue;
    const line = lineAt(text, m.index);
    flags.push({
      category: 'encoded_blob',
      rule: 'base64_blob',
      reason: `base64-like run of ${run.length} characters`,
      line: line.line,
      excerpt: excerptOf(line.text, m.index - line.start, m.index - line.start + 24),
    });
  }
  for (const m of text.matchAll(HEX_RUN)) {
    const hex = m[0].replace(/[\s:]/g, '');
    if (hex.length < HEX_MIN || !/[a-f]/i.test(hex) || !/\d/.test(hex)) continue;
    const line = lineAt(text, m.index);
    flags.push({
      category: 'encoded_blob',
      rule: 'hex_blob',
      reason: `hex run of ${hex.length} digits`,
      line: line.line,
      excerpt: excerptOf(line.text, m.index - line.start, m.index - line.start + 24),
    });
  }
  return flags;
}
