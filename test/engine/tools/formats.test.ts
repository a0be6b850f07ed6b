/**
 * Failure and fix detection in every transcript format ingest supports, through the real ingest:
 * each fixture is imported into a temp root and the local engine reads the stored events.
 * Every fixture tells the same story (`python app.py` fails on a missing module, `pip install`,
 * the rerun works), plus one failure of another kind where the format has one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootPaths } from '../../../src/core/root.ts';
import { Finding } from '../../../src/engine/findings.ts';
import { LocalEngine } from '../../../src/engine/local/engine.ts';
import { importSessions } from '../../../src/sessions/import.ts';
import { readEventsArray } from '../../../src/sessions/store.ts';
import type { Session } from '../../../src/sessions/schema.ts';
import { unverifiableQuotes } from '../helpers.ts';

export const TOOL_FIXTURES = fileURLToPath(new URL('../../fixtures/tools/', import.meta.url));
const SIGNATURE = 'ModuleNotFoundError: No module named <STR>';

let root: string;
let paths: RootPaths;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dreamwork-tools-'));
  paths = new RootPaths(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function extract(file: string): Promise<{ session: Session; findings: Finding[] }> {
  const report = await importSessions(paths, [join(TOOL_FIXTURES, file)]);
  const session = [...report.imported, ...report.existing][0]!;
  expect(report.failed).toEqual([]);
  const events = await readEventsArray(paths, session.id);
  const { findings } = await new LocalEngine().extract(
    { session, sequence: 0, events: async function* () { yield* events; } },
    { instructions: null },
  );
  for (const f of findings) expect(() => Finding.parse(f)).not.toThrow();
  expect(unverifiableQuotes(findings, events)).toEqual([]);
  return { session, findings };
}

const byKind = (findings: Finding[], kind: Finding['kind']) => findings.filter((f) => f.kind === kind);

describe.each([
  ['managed-agents.json', 'managed_agents'],
  ['claude-code.jsonl', 'claude_code'],
  ['messages.json', 'messages'],
  ['openai-chat.json', 'openai_chat'],
  ['swe-trajectory.json', null],
])('%s', (file, format) => {
  it('finds the missing-module failure, its family and the fix that worked', async () => {
    const { session, findings } = await extract(file);
    if (format) expect(session.format).toBe(format);
    const failure = byKind(findings, 'failure').find((f) => f.attributes.exception === 'ModuleNotFoundError');
    expect(failure?.attributes).toMatchObject({ signature: SIGNATURE, error: SIGNATURE, family: 'ModuleNotFoundError' });
    expect(failure!.evidence[0]!.quote).toBe("ModuleNotFoundError: No module named 'yaml'");
    const fix = byKind(findings, 'workaround').find((f) => f.attributes.signature === SIGNATURE);
    expect(fix?.value).toBe(`cd <PATH> && python app.py`);
    expect(fix!.attributes.steps).toBe('pip install pyyaml');
    expect(fix!.title).toBe(`When \`cd <PATH> && python app.py\` fails with ${SIGNATURE}, rerunning it after \`pip install pyyaml\` worked`);
  });
});

describe('other kinds of failure', () => {
  it('a "command not found" with the error flag (Managed Agents)', async () => {
    const { findings } = await extract('managed-agents.json');
    const f = byKind(findings, 'failure').find((x) => String(x.attributes.signature).includes('command not found'))!;
    expect(f.attributes).toMatchObject({ family: 'command not found', program: 'yq' });
    expect(byKind(findings, 'workaround').some((w) => w.attributes.signature === f.attributes.signature)).toBe(false);
  });

  it('a test failure fixed by a changed command of the same intent (Claude Code)', async () => {
    const { findings } = await extract('claude-code.jsonl');
    const f = byKind(findings, 'failure').find((x) => x.attributes.command_shape === 'npm test')!;
    expect(f.evidence[0]!.quote).toBe('FAIL src/login.test.ts');
    const fix = byKind(findings, 'workaround').find((w) => w.attributes.signature === f.attributes.signature)!;
    expect(fix.value).toBe('npm test -- --runInBand');
    expect(fix.title).toContain('`npm test -- --runInBand` worked instead');
  });

  it('a non-zero return code and the exit status of a SWE-agent trajectory; grep finding nothing is no failure', async () => {
    const { session, findings } = await extract('swe-trajectory.json');
    expect(session.outcome).toEqual({ resolved: null, exit_status: 'Submitted' });
    const failures = byKind(findings, 'failure');
    expect(failures.map((f) => f.attributes.exit_code)).toEqual([1]);
    expect(failures.some((f) => String(f.attributes.command_shape).startsWith('grep'))).toBe(false);
  });
});
