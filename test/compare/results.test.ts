import { describe, expect, it } from 'vitest';
import { renderChart, chartAxes } from '../../src/compare/chart.ts';
import { renderCsv, renderMarkdown, type CompareResults, type StrategyRow } from '../../src/compare/results.ts';

const row = (strategy: string, over: Partial<StrategyRow> = {}): StrategyRow => ({
  strategy,
  status: 'completed',
  batches: 2,
  merge_calls: 1,
  memories: 5,
  evidence_precision: 1,
  ground_truth: { quality: null },
  grader: { result: 'satisfied', iterations: 1, passed: 1, failed: 0, not_graded: 1, criteria: [{ id: 'c1', title: 'Evidence', status: 'passed' }, { id: 'c2', title: 'Actionable', status: 'not_graded' }] },
  model_calls: 0,
  tokens: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, total: 0 },
  diff_vs_first: { added: 0, removed: 1, changed: 0 },
  order_sensitivity: { shuffles: 1, diffs: [{ added: 1, removed: 0, changed: 2 }], mean_diff: 3, max_diff: 3 },
  wall_s: 2.5,
  utilization: 0.4,
  peak_rss_mb: 200,
  ...over,
});

const results = (rows: StrategyRow[], datasets: string[] = []): CompareResults => ({ engine: 'local', workers: 1, max_sessions: 100, seed: 1, repeat: 1, sessions: 4, datasets, strategies: rows });

describe('compare outputs', () => {
  it('tables carry one row per strategy, escaped for Markdown and CSV', () => {
    const r = results([row('fixed-count'), row('a|b,"c"')]);
    const md = renderMarkdown(r);
    expect(md).toContain('| fixed-count | completed | 2 | 1 | 5 | 1 | 1 | satisfied (1 passed, 0 failed, 1 not graded) | 0 | 0 | 2.5 | 0.40 | 200 | 3 / 3 |');
    expect(md).toContain('| a\\|b,"c" |');
    expect(md).toContain('| strategy | Evidence | Actionable |');
    const csv = renderCsv(r).split('\n');
    expect(csv[0]).toBe('strategy,status,batches,merge calls,memories,diff vs fixed-count,evidence precision,grader,model calls,tokens,wall s,utilization,peak RSS MB,order diff mean / max');
    expect(csv[2]).toMatch(/^"a\|b,""c""",completed,/);
  });

  it('the chart plots quality against wall time for the local engine, tokens when a model was used', () => {
    const local = results([row('one-batch', { ground_truth: { quality: 0.5 } }), row('similarity', { ground_truth: { quality: 0.7 }, wall_s: 4 })], ['logchunks']);
    expect(chartAxes(local).x.label).toMatch(/wall time/);
    expect(chartAxes(local).y.label).toBe('quality: logchunks pairwise F1');
    const svg = renderChart(local);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('>one-batch</text>');
    expect(svg).toContain('>similarity</text>');
    const claude = results([row('x', { tokens: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, total: 15 } })]);
    expect(chartAxes(claude).x.label).toMatch(/model tokens/);
    expect(chartAxes(claude).y.label).toMatch(/evidence precision/);
  });

  it('strategies at the same point each get a marker and a label of their own, none on top of another', () => {
    const svg = renderChart(results([row('a'), row('b')]));
    expect(svg.match(/<circle /g)).toHaveLength(2);
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="(?:start|end)">[ab]<\/text>/g)].map((m) => Number(m[1]));
    expect(ys).toHaveLength(2);
    expect(Math.abs(ys[0]! - ys[1]!)).toBeGreaterThanOrEqual(13);
    expect(svg).toContain('>a</text>');
    expect(svg).toContain('>b</text>');
  });
});
