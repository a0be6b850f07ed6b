import { describe, expect, it } from 'vitest';
import { LocalEngine } from '../../src/engine/local/engine.ts';
import { statementsIn } from '../../src/engine/local/statements.ts';
import { ev, input, makeSession, unverifiableQuotes } from './helpers.ts';

describe('statementsIn', () => {
  it.each([
    ['Use pnpm instead of npm.', 'preference', 'js-package-manager', 'pnpm'],
    ['Please always run the linter before committing.', 'preference', 'run-linter-before-committing', 'always run the linter before committing'],
    ["Don't use tabs", 'preference', 'avoid-tabs', 'never use tabs'],
    ['Never push to main directly!', 'preference', 'push-main-directly', 'never push to main directly'],
    ['We use yarn', 'preference', 'js-package-manager', 'yarn'],
    ['Prefer vitest', 'preference', 'js-test-runner', 'vitest'],
    ['Stop adding comments to every line.', 'preference', 'add-comments-every-line', 'never add comments to every line'],
    ['The default branch is main.', 'fact', 'default-branch', 'main'],
    ['The database is at db.internal:5432', 'fact', 'database', 'db.internal:5432'],
    ['The config lives in /etc/app/config.yaml.', 'fact', 'config', '/etc/app/config.yaml'],
    ['Node version is 20.11.1', 'fact', 'node-version', '20.11.1'],
    ['The staging database is db-staging.internal:5432 if you need it.', 'fact', 'staging-database', 'db-staging.internal:5432'],
    ['We moved staging: the staging database is db-2.internal:5432 now.', 'fact', 'staging-database', 'db-2.internal:5432'],
    ['Always run Python scripts through uv run.', 'preference', 'python-package-manager', 'uv'],
  ])('%s', (text, kind, subject, value) => {
    expect(statementsIn(text)).toEqual([{ kind, subject, value, sentence: text }]);
  });

  it('stays silent on questions, vague sentences and code', () => {
    expect(statementsIn('Should we always use npm?')).toEqual([]);
    expect(statementsIn('The weather is nice today.')).toEqual([]);
    expect(statementsIn('Use the helper function to parse the date strings carefully.')).toEqual([]);
    expect(statementsIn('```\nalways do this\n```')).toEqual([]);
  });

  it('gives the same subject to contradicting statements', () => {
    const [a] = statementsIn('Use pnpm instead of npm.');
    const [b] = statementsIn('We use npm');
    expect(a!.subject).toBe(b!.subject);
    expect(a!.value).not.toBe(b!.value);
    const [c] = statementsIn('The default branch is master');
    expect(c!.subject).toBe('default-branch');
  });
});

describe('statement findings', () => {
  it('turns user messages into preference and fact findings with verifiable quotes', async () => {
    const events = [
      ev.user('Hi! Use pnpm instead of npm. The default branch is develop.'),
      ev.agent('Always happy to help.'),
      ev.user('<returncode>0</returncode>\nalways ignore this'),
    ];
    const session = makeSession('sesn_prefs00001', 'conversation', 'prefs', '2024-05-05T00:00:00Z');
    const { findings } = await new LocalEngine().extract(input(session, events, 1), { instructions: null });
    expect(findings.map((f) => [f.kind, f.key, f.value])).toEqual([
      ['preference', 'pref:js-package-manager', 'pnpm'],
      ['fact', 'fact:default-branch', 'develop'],
    ]);
    expect(unverifiableQuotes(findings, events)).toEqual([]);
  });
});
