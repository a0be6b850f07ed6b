import { describe, expect, it } from 'vitest';
import { Finding } from '../../src/engine/findings.ts';
import { LocalEngine } from '../../src/engine/local/engine.ts';
import { retriesWithAnotherRunner } from '../../src/engine/local/transcript.ts';
import type { SessionEvent } from '../../src/sessions/schema.ts';
import { ev, input, makeSession, unverifiableQuotes } from './helpers.ts';

async function run(events: SessionEvent[], id = 'sesn_transcript1') {
  const session = makeSession(id, 'agent_transcript', id, '2024-04-01T09:00:00Z');
  const { findings } = await new LocalEngine().extract(input(session, events, 2), { instructions: null });
  for (const f of findings) expect(() => Finding.parse(f)).not.toThrow();
  expect(unverifiableQuotes(findings, events)).toEqual([]);
  return findings;
}

/** A structured transcript: a failing npm install, then the pnpm one that worked. */
function npmSession(version: string, dir: string): SessionEvent[] {
  return [
    ev.user('Install the dependencies and run the tests.'),
    ev.use('Bash', { command: `cd ${dir} && npm install left-pad@${version}` }, 'tu_1'),
    ev.result(`npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/left-pad/-/left-pad-${version}.tgz`, 'tu_1', true),
    ev.use('Read', { file_path: `${dir}/package.json` }, 'tu_2'),
    ev.result('{ "name": "demo" }', 'tu_2', false),
    ev.use('Bash', { command: `cd ${dir} && npm install left-pad@1.3.0 --registry=https://mirror.example.com` }, 'tu_3'),
    ev.result('added 1 package in 0.8s', 'tu_3', false),
  ];
}

/** mini-SWE-agent shape: bash blocks in assistant text, results as <returncode> user messages. */
function sweSession(value: string, line: number): SessionEvent[] {
  return [
    ev.user('<pr_description>Fix parsing</pr_description>'),
    ev.agent('THOUGHT: reproduce first.\n\n```bash\ncd /testbed && python reproduce.py\n```'),
    ev.user(
      `<returncode>1</returncode>\n<output>\nTraceback (most recent call last):\n  File "/testbed/reproduce.py", line ${line}, in <module>\n    parse('${value}')\nValueError: invalid literal for int() with base 10: '${value}'\n</output>`,
    ),
    ev.agent("THOUGHT: fix it.\n\n```bash\nsed -i 's/int(x)/int(x.strip())/' /testbed/src/parse.py\n```"),
    ev.user('<returncode>0</returncode>\n<output>\n</output>'),
    ev.agent('THOUGHT: rerun.\n\n```bash\ncd /testbed && python reproduce.py\n```'),
    ev.user('<returncode>0</returncode>\n<output>\nok\n</output>'),
  ];
}

describe('transcript failures', () => {
  it('finds a failing tool call with a masked signature, the same across sessions', async () => {
    const a = (await run(npmSession('9.9.9', '/work/a'))).filter((f) => f.kind === 'failure');
    const b = (await run(npmSession('8.1.0', '/home/ci/b'), 'sesn_transcript2')).filter((f) => f.kind === 'failure');
    expect(a).toHaveLength(1);
    expect(a[0]!.key).toMatch(/^tool:[0-9a-f]{16}$/);
    expect(a[0]!.key).toBe(b[0]!.key);
    expect(a[0]!.attributes).toMatchObject({ tool: 'Bash', command_shape: 'cd <ARG> && npm install <ARG>' });
    expect(a[0]!.sequence).toBe(2);
    expect(a[0]!.observed_at).toBe('2024-04-01T09:00:00Z');
  });

  it('names the exception of a Python traceback in signature and title', async () => {
    const [f] = (await run(sweSession('abc', 3))).filter((x) => x.kind === 'failure');
    expect(f!.attributes.exception).toBe('ValueError');
    expect(f!.attributes.signature).toBe('ValueError: invalid literal for int() with base <NUM>: <STR>');
    expect(f!.title).toContain('ValueError');
    expect(f!.attributes.exit_code).toBe(1);
    const [g] = (await run(sweSession('x y', 9), 'sesn_swe2')).filter((x) => x.kind === 'failure');
    expect(g!.key).toBe(f!.key);
  });

  it('gives different keys to different errors', async () => {
    const npm = (await run(npmSession('1.0.0', '/a'))).find((f) => f.kind === 'failure')!;
    const py = (await run(sweSession('abc', 3))).find((f) => f.kind === 'failure')!;
    const other = await run([
      ev.agent('```bash\npython app.py\n```'),
      ev.user('<returncode>1</returncode>\n<output>\nTypeError: unsupported operand type(s) for +: int and str\n</output>'),
    ]);
    expect(new Set([npm.key, py.key, other[0]!.key]).size).toBe(3);
    expect(other[0]!.attributes.exception).toBe('TypeError');
  });

  it('counts repeats of one error as one finding', async () => {
    const events = [
      ev.use('Bash', { command: 'ls missing' }, 't1'),
      ev.result('ls: cannot access missing: No such file or directory', 't1', true),
      ev.use('Bash', { command: 'ls missing' }, 't2'),
      ev.result('ls: cannot access missing: No such file or directory', 't2', true),
    ];
    const failures = (await run(events)).filter((f) => f.kind === 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.attributes.failed_calls).toBe(2);
    expect(failures[0]!.evidence).toHaveLength(2);
  });

  it('does not treat a successful call that shows exception text as a failure', async () => {
    const events = [ev.agent('```bash\ncat docs.py\n```'), ev.user('<returncode>0</returncode>\n<output>\nValueError: if x < 0\n</output>')];
    expect(await run(events)).toEqual([]);
  });
});

describe('workarounds', () => {
  it('links a failed call to the later successful call of the same intent', async () => {
    const findings = await run(npmSession('9.9.9', '/work/a'));
    const failure = findings.find((f) => f.kind === 'failure')!;
    const fix = findings.find((f) => f.kind === 'workaround')!;
    expect(fix.key).toBe(`fix:${failure.key.slice('tool:'.length)}`);
    expect(fix.body).toContain('npm install left-pad@<NUM> --registry=<URL>');
    expect(fix.evidence).toHaveLength(2);
    expect(fix.attributes.signature).toBe(failure.attributes.signature);
  });

  it('finds the rerun that worked after a fix in a mini-SWE-agent session', async () => {
    const fix = (await run(sweSession('abc', 3))).find((f) => f.kind === 'workaround')!;
    expect(fix.title).toContain('ValueError');
    expect(fix.body).toContain('`sed -i <STR> <PATH>`');
    expect(fix.attributes.steps).toBe('sed -i <STR> <PATH>');
    expect(fix.value).toBe('cd /testbed && python reproduce.py');
  });

  it('reports no workaround when nothing of the same intent succeeds later', async () => {
    const events = [ev.use('Bash', { command: 'make build' }, 't1'), ev.result('make: *** [build] Error 2', 't1', true), ev.use('Bash', { command: 'git status' }, 't2'), ev.result('clean', 't2', false)];
    const findings = await run(events);
    expect(findings.map((f) => f.kind)).toEqual(['failure']);
  });
});

describe('retriesWithAnotherRunner', () => {
  const call = (command: string) => ({ index: 0, tool: 'Bash', command, target: null, use: null, useQuote: null, output: '', isError: null }) as never;
  it('matches the same work through another runner', () => {
    expect(retriesWithAnotherRunner(call('npm test'), call('pnpm install && pnpm test'))).toBe(true);
    expect(retriesWithAnotherRunner(call('python scripts/migrate.py --target staging'), call('uv run python scripts/migrate.py --target staging'))).toBe(true);
  });
  it('does not match different work or the identical command', () => {
    expect(retriesWithAnotherRunner(call('npm test'), call('npm run build'))).toBe(false);
    expect(retriesWithAnotherRunner(call('python a.py'), call('python a.py'))).toBe(false);
  });
});
