import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { RootPaths } from '../../src/core/root.ts';
import { importSessions, type ImportReport } from '../../src/sessions/import.ts';
import { readEventsArray } from '../../src/sessions/store.ts';
import type { Session, SessionEvent } from '../../src/sessions/schema.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/sessions/', import.meta.url));
export const fixture = (name: string): string => join(FIXTURES, name);

const dirs: string[] = [];
afterEach(async () => {
  while (dirs.length > 0) await rm(dirs.pop()!, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'dw-sessions-'));
  dirs.push(d);
  return d;
}

export async function tempRoot(): Promise<RootPaths> {
  return new RootPaths(await tempDir());
}

/** Imports one file into a fresh root and returns its session and events; fails the test otherwise. */
export async function importOne(
  path: string,
): Promise<{ root: RootPaths; report: ImportReport; session: Session; events: SessionEvent[] }> {
  const root = await tempRoot();
  const report = await importSessions(root, [path]);
  const session = report.imported[0];
  if (!session) throw new Error(`import of ${path} failed: ${JSON.stringify(report.failed)}`);
  return { root, report, session, events: await readEventsArray(root, session.id) };
}

export function texts(e: SessionEvent): string {
  return 'content' in e ? e.content.map((b) => b.text).join('\n') : JSON.stringify(e.input);
}
