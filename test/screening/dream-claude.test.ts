import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTree, runCli, tempRoot, type CliResult } from '../helpers/cli.ts';
import { FakeMessagesServer } from '../helpers/fake-anthropic.ts';
import { CLAUDE_INPUTS, MODEL_CANARIES, poisonedModel, plantedIn } from './redteam.ts';

/** The CLI with --quiet --json, the claude engine's variables set only by the test. */
function run(args: string[], root: string, env: Record<string, string | undefined>): Promise<CliResult> {
  return runCli(['--quiet', '--json', ...args], root, { ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined, ...env });
}

let server: FakeMessagesServer;
beforeEach(async () => {
  server = await new FakeMessagesServer().start();
  server.respond(poisonedModel);
});
afterEach(async () => {
  await server.close();
});

/** The claude engine over red-team sessions, against the fake Messages API (see poisonedModel). */
describe('a claude-engine dream whose model output is poisoned', () => {
  it('quarantines the injected lessons and redacts the secrets before anything is written', async () => {
    const root = await tempRoot();
    const res = await run(['run', ...CLAUDE_INPUTS, '--engine', 'claude', '--workers', '1'], root, {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.url,
    });
    expect(res.code, res.stderr).toBe(0);
    const dream = JSON.parse(res.stdout);
    expect(dream.status).toBe('completed');
    expect(server.failures).toEqual([]);

    const tree = await readTree(join(root, 'stores', dream.outputs[0].memory_store_id, 'tree'));
    expect(plantedIn(tree, MODEL_CANARIES)).toEqual([]);
    // The lesson that only carried secrets is kept, secrets redacted.
    const e401 = Object.entries(tree).find(([p]) => p.includes('e401'));
    expect(e401?.[1]).toContain('[REDACTED:github_token]');

    const list = await run(['quarantine', 'list', '--dream', dream.id], root, {});
    const entries = JSON.parse(list.stdout).data as { path: string; flags: { rule: string }[] }[];
    const rules = new Set(entries.flatMap((e) => e.flags.map((f) => f.rule)));
    for (const r of [
      'persistent_directive',
      'zero_width',
      'override_instructions',
      'exfiltration',
      'remote_image',
    ])
      expect(rules).toContain(r);
    expect(entries.length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
