import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree, runCli, tempRoot, type CliResult } from '../helpers/cli.ts';
import { FakeMessagesServer, toolUseResponse, type RecordedRequest } from '../helpers/fake-anthropic.ts';

const INPUTS = ['examples/sessions/ci/run-102.log', 'examples/sessions/agent/2026-11-06-migrate-orders.jsonl'];
const USAGE = { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 50, cache_read_input_tokens: 400 };

/** The CLI with --quiet --json, the claude engine's variables set only by the test. */
function run(args: string[], root: string, env: Record<string, string | undefined>): Promise<CliResult> {
  return runCli(['--quiet', '--json', ...args], root, { ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, ...env });
}

const systemOf = (r: RecordedRequest) => ((r.body.system as { text: string }[] | undefined) ?? []).map((b) => b.text).join('\n');
const userOf = (r: RecordedRequest) => JSON.stringify(r.body.messages);
const toolOf = (r: RecordedRequest) => (r.body.tool_choice as { name: string }).name;

/** Answers like the real agents would, from what each request contains. */
function agentResponder(req: RecordedRequest) {
  const tool = toolOf(req);
  if (tool === 'record_grades') {
    const ids = [...userOf(req).matchAll(/### ([a-z0-9-]+): /g)].map((m) => m[1]!);
    return { body: toolUseResponse('record_grades', { criteria: ids.map((id) => ({ id, status: 'passed', explanation: 'fine', gaps: [] })) }, USAGE) };
  }
  if (/You analyse CI and build logs/.test(systemOf(req))) {
    return {
      body: toolUseResponse(
        'record_findings',
        { findings: [{ kind: 'failure', key: 'npm ERESOLVE', title: '`npm ci` fails with ERESOLVE (react-dom 19 needs react 19)', body: 'Pin react-dom or upgrade react.', value: null, confidence: 0.9, evidence: [{ event_id: null, lines: [7, 7], quote: 'npm ERR! ERESOLVE unable to resolve dependency tree' }] }] },
        USAGE,
      ),
    };
  }
  const failed = /\[(sevt_\w+)\] tool FAILED/.exec(userOf(req))![1]!;
  return {
    body: toolUseResponse(
      'record_findings',
      { findings: [{ kind: 'workaround', key: 'psycopg missing', title: 'Run scripts/migrate.py with uv run', body: 'Plain python lacks psycopg; `uv run python scripts/migrate.py` works.', value: null, confidence: 0.8, evidence: [{ event_id: failed, lines: null, quote: "No module named 'psycopg'" }] }] },
      USAGE,
    ),
  };
}

let server: FakeMessagesServer;
beforeEach(async () => {
  server = await new FakeMessagesServer().start();
  server.respond(agentResponder);
});
afterEach(async () => {
  await server.close();
});

describe('a dream on the claude engine, against a fake Messages API', () => {
  it('routes sessions to specialists, grades in isolation, counts usage, and replays byte-identically', async () => {
    const rec = await mkdtemp(join(tmpdir(), 'dw-rec-'));
    const root = await tempRoot();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.url };
    const res = await run(['run', ...INPUTS, '--engine', 'claude', '--workers', '1', '--record', rec], root, env);
    expect(res.code, res.stderr).toBe(0);
    const dream = JSON.parse(res.stdout);
    expect(dream.status).toBe('completed');
    expect(dream.model.id).toBe('claude-sonnet-4-5');

    const extract = server.requests.filter((r) => toolOf(r) === 'record_findings');
    const grades = server.requests.filter((r) => toolOf(r) === 'record_grades');
    expect(extract).toHaveLength(2);
    expect(extract.filter((r) => /You analyse CI and build logs/.test(systemOf(r)))).toHaveLength(1);
    // The grader sees the candidate, rubric and evidence: no extractor prompt, no session digest.
    expect(grades.length).toBeGreaterThanOrEqual(1);
    for (const g of grades) {
      expect(systemOf(g)).not.toMatch(/You analyse CI and build logs/);
      expect(userOf(g)).not.toContain('## templates');
      expect(userOf(g)).not.toContain('tool FAILED');
    }
    // Usage: every call's tokens, summed into the dream.
    const calls = extract.length + grades.length;
    expect(dream.usage).toEqual({
      input_tokens: USAGE.input_tokens * calls,
      output_tokens: USAGE.output_tokens * calls,
      cache_creation_input_tokens: USAGE.cache_creation_input_tokens * calls,
      cache_read_input_tokens: USAGE.cache_read_input_tokens * calls,
    });
    const tree = await readTree(join(root, 'stores', dream.outputs[0].memory_store_id, 'tree'));
    expect(Object.values(tree).join('\n')).toContain('`npm ci` fails with ERESOLVE');

    // Replay: no server, no key; the same store, byte for byte.
    await server.close();
    const root2 = await tempRoot();
    const replay = await run(['run', ...INPUTS, '--engine', 'claude', '--workers', '1', '--replay', rec], root2, {});
    expect(replay.code, replay.stderr).toBe(0);
    const dream2 = JSON.parse(replay.stdout);
    expect(await readTree(join(root2, 'stores', dream2.outputs[0].memory_store_id, 'tree'))).toEqual(tree);
  });

  it('stops a dream past its token budget, failed with budget_exceeded, keeping what it found', async () => {
    const root = await tempRoot();
    const res = await run(['run', ...INPUTS, '--engine', 'claude', '--workers', '1', '--batch-size', '1', '--budget-tokens', '1000'], root, { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.url });
    expect(res.code).toBe(3);
    const dream = JSON.parse(res.stdout);
    expect(dream.status).toBe('failed');
    expect(dream.error.type).toBe('budget_exceeded');
    expect(dream.outputs).toEqual([]);
    expect(dream.usage.input_tokens).toBeGreaterThan(0);
  });

  it('refuses a bad agent file from --agents before any work, naming the file and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dw-agents-'));
    await writeFile(join(dir, 'mine.md'), '---\nname: extractor-build-logs\nrole: extractor\nmodel: claude-x\n---\ntoo short\n');
    const res = await run(['run', ...INPUTS, '--engine', 'claude', '--agents', dir], await tempRoot(), { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.url });
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout).error.message).toMatch(/mine\.md: description/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses the claude engine without an API key, with exit code 2', async () => {
    const res = await run(['run', ...INPUTS, '--engine', 'claude'], await tempRoot(), {});
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout).error.message).toMatch(/ANTHROPIC_API_KEY/);
  });
});
