import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/findings.ts';
import { applyDirectives, describeInstructions, isPreserved, parseDirectives } from '../../src/engine/local/instructions.ts';
import { merge } from '../../src/merger/merge.ts';

function finding(key: string, title: string): Finding {
  return {
    kind: 'failure',
    key,
    title,
    body: title,
    value: null,
    observed_at: '2025-01-01T00:00:00Z',
    sequence: 0,
    evidence: [{ session_id: 'sesn_a', event_id: 'sevt_a', lines: null, quote: title, observed_at: null }],
    attributes: {},
    confidence: 0.5,
  };
}

describe('instructions', () => {
  const text = 'focus: Timeout, flaky\n- exclude: npm WARN\npreserve: /facts/, Node version\nPlease write in French.\n\nfocus:';

  it('parses focus, exclude and preserve (paths keep their case)', () => {
    expect(parseDirectives(text)).toEqual({ focus: ['timeout', 'flaky'], exclude: ['npm warn'], preserve: ['/facts/', 'node version'] });
  });

  it('says which lines it honours and which it cannot offline', () => {
    expect(describeInstructions(text)).toEqual({
      honored: ['focus: timeout, flaky', 'exclude: npm warn', 'preserve: /facts/, node version'],
      unhonored: ['Please write in French.', 'focus:'],
    });
    expect(describeInstructions(null)).toEqual({ honored: [], unhonored: [] });
  });

  it('raises focused findings and drops excluded ones', () => {
    const out = applyDirectives([finding('a', 'Test timeout in CI'), finding('b', 'npm WARN deprecated'), finding('c', 'other')], parseDirectives(text));
    expect(out.map((f) => [f.key, f.confidence])).toEqual([
      ['a', 0.7],
      ['c', 0.5],
    ]);
  });

  it('matches preserved memories by path prefix or title', () => {
    const p = parseDirectives(text).preserve;
    expect(isPreserved('/facts/port.md', null, p)).toBe(true);
    expect(isPreserved('/factsheet.md', null, p)).toBe(false);
    expect(isPreserved('/preferences/x.md', 'The Node version is 20', p)).toBe(true);
    expect(isPreserved('/preferences/x.md', 'Use pnpm', p)).toBe(false);
  });
});

describe('merge with a preserve list', () => {
  it('keeps a preserved memory byte-identical and leaves out findings about it', () => {
    const first = merge([], [finding('k1', 'Build fails on ERESOLVE'), finding('k2', 'Lint fails on tabs')]);
    const memory = first.store.find((m) => m.content.includes('"k1"'))!;
    const edited = first.store;
    const later = { ...finding('k1', 'Build fails on ERESOLVE again'), observed_at: '2025-02-01T00:00:00Z' };
    const second = merge(edited, [later, finding('k3', 'New failure')], { preserve: [memory.path] });
    expect(second.store.find((m) => m.path === memory.path)?.content).toBe(memory.content);
    expect(second.store.filter((m) => m.content.includes('Build fails on ERESOLVE again'))).toEqual([]);
    expect(second.preserved.map((e) => e.path)).toEqual([memory.path]);
    expect(second.report.warnings).toContain('1 finding(s) left out: their memory is preserved');
    const without = merge(edited, [later], {});
    expect(without.store.find((m) => m.path === memory.path)?.content).toContain('Build fails on ERESOLVE again');
  });
});
