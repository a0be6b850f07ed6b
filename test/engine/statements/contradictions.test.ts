import { describe, expect, it } from 'vitest';
import { LocalEngine } from '../../../src/engine/local/engine.ts';
import { statementsIn } from '../../../src/engine/local/statements.ts';
import type { Finding } from '../../../src/engine/findings.ts';
import { merge } from '../../../src/merger/merge.ts';
import type { SessionEvent } from '../../../src/sessions/schema.ts';
import { ev, input, makeSession } from '../helpers.ts';

/** Findings of one session whose user messages are `texts`, dated `at`. */
async function said(id: string, at: string, texts: string[], sequence: number): Promise<Finding[]> {
  const events: SessionEvent[] = texts.map((t) => ({ ...ev.user(t), processed_at: at }));
  const session = makeSession(id, 'conversation', id, at);
  return (await new LocalEngine().extract(input(session, events, sequence), { instructions: null })).findings.filter((f) => f.kind !== 'fact' || !f.key.startsWith('journal:'));
}

describe('contradictions between sessions', () => {
  it('resolves to the latest value and cites both sides', async () => {
    const early = await said('sesn_early0000001', '2025-01-06T09:00:00.000Z', ['The staging database is db-staging.internal:5432.'], 0);
    const late = await said('sesn_late00000001', '2025-02-24T16:10:00.000Z', ['Correction: the staging DB is pg-staging.internal:5432 now.'], 1);
    const { entries, report } = merge([], [...late, ...early]);
    const db = entries.find((e) => e.keys.includes('fact:staging-database'))!;
    expect(db.value).toBe('pg-staging.internal:5432');
    expect(db.evidence.map((e) => e.session_id)).toEqual(['sesn_late00000001']);
    expect(db.history).toHaveLength(1);
    expect(db.history[0]!.value).toBe('db-staging.internal:5432');
    expect(db.history[0]!.last_seen.at).toBe('2025-01-06T09:00:00.000Z');
    expect(db.history[0]!.evidence.map((e) => [e.session_id, e.quote])).toEqual([['sesn_early0000001', 'The staging database is db-staging.internal:5432.']]);
    expect(report.contradictions).toEqual([{ path: db.path, keys: ['fact:staging-database'], current: 'pg-staging.internal:5432', superseded: ['db-staging.internal:5432'] }]);
  });

  it('does not let a value stated again in the past tense come back', async () => {
    const a = await said('sesn_a00000000001', '2025-01-06T09:00:00.000Z', ['The staging database is db-1.internal:5432.'], 0);
    const b = await said('sesn_b00000000001', '2025-01-20T09:00:00.000Z', ['We moved the staging database to db-2.internal:5432.', 'The staging database was db-1.internal:5432 before the move.'], 1);
    const db = merge([], [...a, ...b]).entries.find((e) => e.keys.includes('fact:staging-database'))!;
    expect(db.value).toBe('db-2.internal:5432');
  });
});

describe('near-misses are not contradictions', () => {
  it.each([
    ['different subjects that look alike', ['The staging database is db-staging.internal:5432.'], ['The production database is db-prod.internal:5432.']],
    ['different ecosystems', ['We use pnpm.'], ['Use uv instead of pip.']],
    ['dev server port vs metrics port', ['The dev server port is 8080.'], ['The metrics port is 9090.']],
    ['the same value restated differently', ['Use pnpm instead of npm.', 'Node version is 20.11.1.'], ['And we use pnpm, not npm.', 'The node version is v20.11.1 on every runner.']],
    ['a question', ['We use pnpm.'], ['Should we use bun instead of pnpm?']],
    ['a hypothetical', ['We use pnpm.'], ['If we ever used yarn, we would have to redo the lockfile.']],
    ["a third party's preference", ['Use uv instead of pip.'], ['My colleague Sam prefers poetry.', "Dana's team uses yarn for the dashboard."]],
  ])('%s', async (_name, first, second) => {
    const a = await said('sesn_first0000001', '2025-01-06T09:00:00.000Z', first, 0);
    const b = await said('sesn_second000001', '2025-02-06T09:00:00.000Z', second, 1);
    const { entries, report } = merge([], [...a, ...b]);
    expect(report.contradictions).toEqual([]);
    expect(entries.every((e) => e.history.length === 0)).toBe(true);
  });
});

describe('subject normalization', () => {
  const subject = (text: string): string | undefined => statementsIn(text)[0]?.subject;

  it('gives one subject to one thing said several ways', () => {
    expect(subject('The staging DB is db-1.internal:5432.')).toBe('staging-database');
    expect(subject('Our staging database host is db-1.internal:5432.')).toBe('staging-database');
    expect(subject('We migrated the staging database to db-2.internal:5432.')).toBe('staging-database');
    expect(subject('We bumped Node to 20.12.2.')).toBe('node-version');
    expect(subject('Node version is 20.12.2.')).toBe('node-version');
    expect(subject('The staging API endpoint is https://api.staging.example/v2.')).toBe('staging-api');
    expect(subject('The staging API is at https://api.staging.example/v2.')).toBe('staging-api');
    expect(subject('The config file lives in /etc/app.yaml.')).toBe('config');
  });

  it('keeps different things apart', () => {
    expect(subject('The production DB is db-prod.internal:5432.')).toBe('production-database');
    expect(subject('We use uv.')).toBe('python-package-manager');
    expect(subject('We use pnpm.')).toBe('js-package-manager');
    expect(subject('We use ruff.')).toBe('python-linter');
    expect(subject('We use eslint.')).toBe('js-linter');
    expect(subject('The release branch is release/1.2.')).toBe('release-branch');
    expect(subject('The default branch is main.')).toBe('default-branch');
  });

  it('canonicalizes values so a restatement is no change', () => {
    expect(statementsIn('Use pnpm instead of npm from now on.')[0]!.value).toBe('pnpm');
    expect(statementsIn('We use pnpm, not npm.')[0]!.value).toBe('pnpm');
    expect(statementsIn('The node version is v20.11.1.')[0]!.value).toBe('20.11.1');
    expect(statementsIn('Our default branch is `main`, by the way.')[0]!.value).toBe('main');
  });

  it('reads corrections and clauses', () => {
    expect(statementsIn('No, use vitest instead of jest.').map((s) => s.value)).toEqual(['vitest']);
    expect(statementsIn('Stop using prettier; we use biome now.').map((s) => [s.subject, s.value])).toEqual([
      ['avoid-prettier', 'never use prettier'],
      ['js-formatter', 'biome'],
    ]);
    expect(statementsIn('The default branch is master, and the staging database is db-1.internal:5432.').map((s) => s.subject)).toEqual(['default-branch', 'staging-database']);
    expect(statementsIn("Just thinking out loud, don't change anything.")).toEqual([]);
  });
});
