import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootPaths } from '../../../src/core/root.ts';
import { ClaudeEngine } from '../../../src/engine/claude/engine.ts';
import { createClaudeClient } from '../../../src/llm/client.ts';
import { loadAgents } from '../../../src/outcomes/agents.ts';
import { importSessions } from '../../../src/sessions/import.ts';
import { getSession, readEvents } from '../../../src/sessions/store.ts';
import { REPO, tempRoot } from '../../helpers/cli.ts';
import { FakeMessagesServer, toolUseResponse, type RecordedRequest } from '../../helpers/fake-anthropic.ts';

let server: FakeMessagesServer;
beforeEach(async () => {
  server = await new FakeMessagesServer().start();
});
afterEach(async () => {
  await server.close();
});

async function setup(file: string) {
  const paths = new RootPaths(await tempRoot());
  const report = await importSessions(paths, [join(REPO, file)]);
  const id = report.imported[0]!.id;
  const session = await getSession(paths, id);
  const engine = new ClaudeEngine({
    client: createClaudeClient({ maxRetries: 0 }, { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.url }),
    agents: await loadAgents(),
  });
  return { paths, session, engine, input: { session, sequence: 0, events: () => readEvents(paths, id) } };
}

const systemText = (r: RecordedRequest) => (r.body.system as { text: string }[]).map((b) => b.text).join('\n');

describe('the claude engine extractor', () => {
  it('routes a build log to the build-log specialist with a compressed digest, and keeps only evidence that exists', async () => {
    const { session, engine, input } = await setup('examples/sessions/ci/run-102.log');
    server.script([
      {
        expect: (r) => {
          expect(systemText(r)).toMatch(/You analyse CI and build logs/);
          const system = r.body.system as { cache_control?: unknown }[];
          expect(system.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
          const user = (r.body.messages as { content: string }[])[0]!.content;
          expect(user).toContain('## templates');
          expect(user).toMatch(/L7: .*npm ERR! ERESOLVE unable to resolve dependency tree/);
        },
        body: toolUseResponse(
          'record_findings',
          {
            findings: [
              {
                kind: 'failure',
                key: 'npm ERESOLVE peer conflict',
                title: '`npm ci` fails with ERESOLVE: react-dom@19 needs react@19',
                body: 'Pin react-dom to 18 or upgrade react.',
                value: null,
                confidence: 0.9,
                evidence: [
                  { event_id: null, lines: [7, 7], quote: 'npm ERR! ERESOLVE unable to resolve dependency tree' },
                  { event_id: null, lines: [3, 3], quote: 'this text is not in the log' },
                ],
              },
              { kind: 'insight', key: 'invented', title: 'Invented', body: '', value: null, confidence: 0.2, evidence: [{ event_id: 'sevt_nope', lines: null, quote: 'x' }] },
            ],
          },
          { input_tokens: 1500, output_tokens: 300, cache_read_input_tokens: 2000 },
        ),
      },
    ]);
    const r = await engine.extract(input, { instructions: null });
    server.assertDone();
    expect(r.findings.map((f) => [f.kind, f.key, f.evidence.map((e) => e.lines)])).toEqual([['failure', 'failure:npm ERESOLVE peer conflict', [[7, 7]]]]);
    expect(r.findings[0]!.evidence[0]!.session_id).toBe(session.id);
    expect(r.warnings).toEqual([
      expect.stringMatching(/dropped evidence .*quote not found in lines 3-3/),
      expect.stringMatching(/dropped evidence of "Invented": event sevt_nope does not exist/),
      expect.stringMatching(/dropped finding "Invented"/),
    ]);
    expect(r.usage).toEqual({ input_tokens: 1500, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 2000 });
    expect(r.run?.status).toBe('failed');
  });

  it('routes an agent transcript to the transcript specialist, citing events', async () => {
    const { engine, input } = await setup('examples/sessions/agent/2026-11-06-migrate-orders.jsonl');
    let failedEvent = '';
    server.script([
      {
        expect: (r) => {
          expect(systemText(r)).not.toMatch(/You analyse CI and build logs/);
          const user = (r.body.messages as { content: string }[])[0]!.content;
          failedEvent = /\[(sevt_\w+)\] tool FAILED/.exec(user)![1]!;
        },
        body: () =>
          toolUseResponse('record_findings', {
            findings: [
              { kind: 'failure', key: 'ModuleNotFoundError psycopg', title: 'migrate.py needs uv run', body: 'Use uv run.', value: null, confidence: 0.8, evidence: [{ event_id: failedEvent, lines: null, quote: "No module named 'psycopg'" }] },
            ],
          }),
      },
    ]);
    const r = await engine.extract(input, { instructions: null });
    server.assertDone();
    expect(r.warnings).toEqual([]);
    expect(r.findings[0]!.evidence[0]!.event_id).toBe(failedEvent);
    expect(r.run).toBeUndefined();
  });
});
