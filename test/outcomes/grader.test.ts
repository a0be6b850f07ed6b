import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/findings.ts';
import { merge } from '../../src/merger/merge.ts';
import { renderMemory } from '../../src/merger/render.ts';
import type { StoreSnapshot } from '../../src/merger/types.ts';
import { grade } from '../../src/outcomes/grader.ts';
import { parseRubric } from '../../src/outcomes/rubric.ts';
import { Evaluation, type Gap } from '../../src/outcomes/schema.ts';
import { ev, evidenceTexts, finding, sampleFindings } from '../merger/helpers.ts';

const rubric = parseRubric(await readFile(new URL('../../rubrics/default.md', import.meta.url), 'utf8'), 'rubrics/default.md');

function run(candidate: StoreSnapshot, evidence: Record<string, string>, iteration = 1, maxIterations = 3): Evaluation {
  return Evaluation.parse(grade({ candidate, rubric, evidence, iteration, maxIterations }));
}

/** The dream's consolidation loop in miniature: merge, grade, send the gaps back, until done. */
function loop(input: StoreSnapshot, findings: Finding[], evidence: Record<string, string>): { evals: Evaluation[]; store: StoreSnapshot } {
  const evals: Evaluation[] = [];
  let revisions: Gap[] = [];
  for (let i = 1; ; i++) {
    const { store } = merge(input, findings, { revisions });
    const e = run(store, evidence, i, 3);
    evals.push(e);
    if (e.result !== 'needs_revision') return { evals, store };
    revisions = [...revisions, ...e.gaps];
  }
}

const status = (e: Evaluation, id: string) => e.criteria.find((c) => c.check === id)!.status;

describe('grade', () => {
  it('is satisfied with a clean merge, and reports judgement criteria as not graded', () => {
    const findings = sampleFindings();
    const { evals } = loop([], findings, evidenceTexts(findings));
    expect(evals).toHaveLength(1);
    const e = evals[0]!;
    expect(e.result).toBe('satisfied');
    const judged = e.criteria.filter((c) => c.check === null);
    expect(judged.map((c) => [c.status, c.explanation])).toEqual([
      ['not_graded', 'needs a model (offline engine)'],
      ['not_graded', 'needs a model (offline engine)'],
    ]);
    expect(e.explanation).toContain('2 criterion(s) not graded');
  });

  it('catches a quote that is not in the cited text, and the revision drops it', () => {
    const findings = sampleFindings();
    const texts = evidenceTexts(findings);
    const bad = finding({ kind: 'failure', key: 'npm:ERESOLVE', title: 'npm ci fails with ERESOLVE peer dependency conflict', evidence: [ev(5, 2, 'made-up line')], sequence: 4 });
    texts[`${bad.evidence[0]!.session_id}#${bad.evidence[0]!.event_id}#L2-2`] = 'npm ERR! something else entirely';
    const { evals, store } = loop([], [...findings, bad], texts);
    expect(evals[0]!.result).toBe('needs_revision');
    expect(status(evals[0]!, 'evidence')).toBe('failed');
    expect(evals[0]!.gaps).toEqual([expect.objectContaining({ action: 'drop_evidence', evidence_key: 'sesn_00000005#sevt_00050002#L2-2' })]);
    expect(evals.at(-1)!.result).toBe('satisfied');
    const failure = store.find((m) => m.path.startsWith('/failures/'))!.content;
    expect(failure).toContain('seen in 3 sessions');
    expect(failure).not.toContain('made-up line');
  });

  it('drops an entry left with no evidence after revision', () => {
    const findings = [finding({ kind: 'insight', key: 'ghost', title: 'A lesson nobody said', evidence: [ev(1, 1, 'never logged')] })];
    const { evals, store } = loop([], findings, {});
    expect(evals.map((e) => e.result)).toEqual(['needs_revision', 'satisfied']);
    expect(store.map((m) => m.path)).toEqual(['/README.md']);
  });

  it('catches a planted secret in a hand-written memory and the revision redacts it', () => {
    const findings = sampleFindings();
    const input = [{ path: '/notes/deploy.md', content: '# Deploy\n\nUse key AKIAABCDEFGHIJKLMNOP for the bucket.\n' }];
    const { evals, store } = loop(input, findings, evidenceTexts(findings));
    expect(status(evals[0]!, 'secrets')).toBe('failed');
    expect(evals[0]!.gaps[0]).toMatchObject({ memory_path: '/notes/deploy.md', action: 'redact', problem: 'contains secrets: line 3 (aws_access_key)' });
    expect(JSON.stringify(evals[0])).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(evals.at(-1)!.result).toBe('satisfied');
    expect(store.find((m) => m.path === '/notes/deploy.md')!.content).toContain('[REDACTED:aws_access_key]');
  });

  it('catches duplicates and an unresolved contradiction written by another merger, and merging resolves them', () => {
    const findings = sampleFindings();
    const texts = evidenceTexts(findings);
    const base = merge([], findings).entries;
    const port = base.find((e) => e.keys.includes('dev server port'))!;
    const failure = base.find((e) => e.kind === 'failure')!;
    // Another tool wrote a second port memory with the old value and a copy of the failure.
    const stalePort = { ...port, path: '/facts/port-copy.md', value: '3000', history: [], evidence: [port.history[0]!.evidence[0]!], last_seen: port.history[0]!.last_seen, sessions: [port.history[0]!.last_seen.session_id], occurrences: 1 };
    const dupFailure = { ...failure, path: '/failures/copy.md', keys: ['npm:eresolve-other'] };
    const input = [stalePort, dupFailure].map((e) => ({ path: e.path, content: renderMemory(e) }));
    const first = run(merge(input, [], {}).store.concat(merge([], findings).store.filter((m) => m.path !== '/README.md')), texts);
    expect(status(first, 'contradictions')).toBe('failed');
    expect(status(first, 'duplicates')).toBe('failed');
    expect(first.gaps.map((g) => g.action).sort()).toEqual(['merge_entries', 'merge_entries', 'resolve_contradiction']);

    const { evals, store } = loop(input, findings, texts);
    expect(evals.at(-1)!.result).toBe('satisfied');
    const facts = store.filter((m) => m.path.startsWith('/facts/'));
    expect(facts).toHaveLength(1);
    expect(facts[0]!.content).toContain('- value: "8080"');
    expect(facts[0]!.content).toContain('superseded value');
  });

  it('catches an over-long path and an oversized file; the revision moves and trims them', () => {
    const longPath = `/notes/${'a'.repeat(250)}/${'b'.repeat(250)}/${'c'.repeat(250)}/${'d'.repeat(250)}/${'e'.repeat(200)}.md`;
    const candidate = [
      { path: longPath, content: '# Long\n' },
      { path: '/notes/huge.md', content: 'x'.repeat(102_401) },
    ];
    const e = run(candidate, {});
    expect(status(e, 'limits')).toBe('failed');
    expect(e.gaps.filter((g) => g.action === 'trim').map((g) => g.memory_path).sort()).toEqual([longPath, '/notes/huge.md'].sort());
    const revised = merge(candidate, [], { revisions: e.gaps });
    expect(run(revised.store, {}).result).toBe('satisfied');
    expect(revised.store.some((m) => m.path.startsWith('/recovered/'))).toBe(true);
  });

  it('flags a memory whose provenance is broken and a count that does not match its sessions', () => {
    const findings = sampleFindings();
    const store = merge([], findings).store.map((m) =>
      m.path.startsWith('/failures/') ? { ...m, content: m.content.replace('seen in 3 sessions', 'seen in 7 sessions') } : m.path.startsWith('/playbooks/') ? { ...m, content: m.content.replace('- confidence: 0.80', '- confidence: lots') } : m,
    );
    const e = run(store, evidenceTexts(findings));
    expect(status(e, 'evidence')).toBe('failed');
    expect(status(e, 'format')).toBe('failed');
    expect(e.gaps.find((g) => g.criterion_id.startsWith('every-memory-is-backed'))!.problem).toMatch(/seen in 7 sessions.*lists 3/);
  });

  it('reports max_iterations_reached at the last iteration, and failed when nothing is gradable', () => {
    const candidate = [{ path: '/notes/k.md', content: 'AKIAABCDEFGHIJKLMNOP\n' }];
    expect(run(candidate, {}, 3, 3).result).toBe('max_iterations_reached');
    const judgement = parseRubric('## Lessons are clear\n## Lessons are kind\n', 'judge.md');
    const e = grade({ candidate, rubric: judgement, evidence: {}, iteration: 1, maxIterations: 3 });
    expect(e.result).toBe('failed');
    expect(e.explanation).toMatch(/none of its 2 criteria/);
    expect(e.criteria.every((c) => c.status === 'not_graded')).toBe(true);
  });
});
