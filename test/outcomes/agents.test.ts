import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgents, parseAgent } from '../../src/outcomes/agents.ts';

const prompt = 'You do one careful job and report it through the tool you are given, nothing else.';

describe('agent definitions', () => {
  it('loads every shipped agents/*.md', async () => {
    const agents = await loadAgents();
    expect(agents.map((a) => [a.name, a.role])).toEqual([
      ['extractor-build-logs', 'extractor'],
      ['extractor-conversations', 'extractor'],
      ['extractor-transcripts', 'extractor'],
      ['grader', 'grader'],
      ['merger', 'merger'],
    ]);
    for (const a of agents) expect(a.system_prompt.length).toBeGreaterThan(500);
    expect(agents.find((a) => a.name === 'extractor-build-logs')!.session_kinds).toEqual(['build_log']);
  });

  it('names the file and the field when a definition is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dreamwork-agents-'));
    try {
      const file = join(dir, 'bad.md');
      await writeFile(file, `---\nname: bad\ndescription: x\nrole: extractor\nmodel: m\nmax_tokens: 10\ntemperature: 3\noutput_schema: findings\nsession_kinds: [build_log]\n---\n${prompt}\n`);
      await expect(loadAgents(dir)).rejects.toThrow(`${file}: temperature:`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(() => parseAgent(`---\nname: m\ndescription: x\nrole: extractor\nmodel: m\nmax_tokens: 10\ntemperature: 0\noutput_schema: findings\n---\n${prompt}`, 'agents/m.md')).toThrow(
      /agents\/m\.md: session_kinds: an extractor must list/,
    );
    expect(() => parseAgent(prompt, 'agents/x.md')).toThrow(/agents\/x\.md: expected YAML front-matter/);
    expect(() => parseAgent(`---\nname: other\ndescription: x\nrole: grader\nmodel: m\nmax_tokens: 10\ntemperature: 0\noutput_schema: evaluation\n---\n${prompt}`, 'agents/grader.md')).toThrow(
      /name: "other" must match/,
    );
  });
});
