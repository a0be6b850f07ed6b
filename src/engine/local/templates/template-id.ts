import { createHash } from 'node:crypto';

/**
 * A template's id is derived from its text alone, so the same template gets the same id in
 * every run, on every machine, whatever order the lines came in: `tpl_` + 12 hex digits of the
 * SHA-256 of the template (48 bits: collisions are negligible for the thousands of templates a
 * corpus holds).
 */
export function templateId(template: string): string {
  return `tpl_${createHash('sha256').update(template).digest('hex').slice(0, 12)}`;
}
