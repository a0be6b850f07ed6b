import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../../src/core/lines.ts';
import { resolveEvidence } from '../../src/coordinator/evidence.ts';
import { TaskPool } from '../../src/coordinator/pool.ts';
import type { Evidence } from '../../src/engine/findings.ts';
import { evidenceKey } from '../../src/outcomes/evidence-key.ts';
import { importSessions } from '../../src/sessions/import.ts';
import { readEventsArray } from '../../src/sessions/store.ts';
import type { Evaluation } from '../../src/outcomes/schema.ts';
import type { GradeTask } from '../../src/worker/protocol.ts';
import { fixture, tempRoot } from '../sessions/helpers.ts';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** One pool of real task threads for the whole file: starting threads is the slow part. */
let pool: TaskPool;
beforeAll(() => {
  pool = TaskPool.create(2);
});
afterAll(async () => {
  await pool.destroy();
});

const cite = (session_id: string, event_id: string | null, lines: [number, number] | null): Evidence => ({
  session_id,
  event_id,
  lines,
  quote: 'x',
  observed_at: null,
});

describe('the shared task pool', () => {
  it('imports on the pool, keeping the sha256 of the bytes as given (plain and gzip)', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [fixture('maven.log'), fixture('build.log.gz')], { workers: 2, pool });
    expect(report.failed).toEqual([]);
    const byPath = new Map(report.imported.map((s) => [s.source.path, s]));
    for (const name of ['maven.log', 'build.log.gz']) {
      const bytes = await readFile(fixture(name));
      const s = byPath.get(fixture(name))!;
      expect(s.source.sha256).toBe(sha256(bytes));
      expect(s.source.bytes).toBe(bytes.length);
      expect(await readFile(`${root.session(s.id)}/${s.source.original_file}`)).toEqual(bytes);
    }
  });

  it('resolves cited lines and events in the threads, and nothing for a session it cannot read', async () => {
    const root = await tempRoot();
    const report = await importSessions(root, [fixture('maven.log'), fixture('claude-code.jsonl')]);
    const [log, transcript] = [report.imported.find((s) => s.format === 'text_log')!, report.imported.find((s) => s.format !== 'text_log')!];
    const logEvents = await readEventsArray(root, log.id);
    const lines = logEvents.flatMap((e) => (e.type === 'log.lines' ? e.content.map((b) => b.text).join('\n').split('\n') : []));
    const event = (await readEventsArray(root, transcript.id)).find((e) => e.type === 'agent.message')!;
    const cited = [
      cite(log.id, logEvents[0]!.id, [2, 3]),
      cite(transcript.id, event.id, null),
      cite('sesn_AAAAAAAAAAAAAAAAAAAAAAAA', null, [1, 1]),
      cite('../../etc', 'sevt_x', null),
    ];
    const texts = await resolveEvidence(root, cited, pool);
    expect(texts).toEqual({
      [evidenceKey(cited[0]!)]: [lines[1]!, lines[2]!].map(visibleText).join('\n'),
      [evidenceKey(cited[1]!)]: event.type === 'agent.message' ? event.content.map((b) => b.text).join('\n') : '',
    });
  });

  it('keeps one grader thread, apart from the task threads, for every dream of the run', async () => {
    const grader = pool.grader();
    expect(pool.grader()).toBe(grader);
    const task: GradeTask = {
      kind: 'grade',
      candidate: [{ path: '/README.md', content: '# Memory\n\nNothing yet.\n' }],
      rubric_text: '## No secrets\nThe store holds no secret.\n',
      rubric_source: 'test',
      evidence: {},
      iteration: 1,
      max_iterations: 3,
    };
    const first = (await grader.run(task)) as { evaluation: Evaluation };
    const again = (await pool.grader().run(task)) as { evaluation: Evaluation };
    expect(again.evaluation).toEqual(first.evaluation);
    expect(first.evaluation.criteria.length).toBeGreaterThan(0);
  });

  it('refuses a task of a kind it does not run, naming the field', async () => {
    await expect(pool.run({ kind: 'grade' } as never)).rejects.toThrow(/kind/);
  });
});
