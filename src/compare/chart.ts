/**
 * chart.svg: quality against cost, one labelled point per strategy. Written directly (an SVG
 * scatter plot is a few elements). Quality is the ground-truth headline when the inputs have
 * labels, else evidence precision; cost is model tokens when any run used a model, else wall
 * time (the local engine spends no tokens, and a chart of zeros would say nothing).
 */
import type { CompareResults, StrategyRow } from './results.ts';

const W = 720;
const H = 440;
const M = { left: 70, right: 30, top: 40, bottom: 60 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fix = (n: number): string => (Math.round(n * 10) / 10).toString();

export function chartAxes(results: CompareResults): { x: { label: string; get: (r: StrategyRow) => number }; y: { label: string; get: (r: StrategyRow) => number | null } } {
  const tokens = results.strategies.some((r) => r.tokens.total > 0);
  const truth = results.strategies.some((r) => r.ground_truth.quality !== null);
  const headline = [results.datasets.includes('logchunks') ? 'logchunks pairwise F1' : null, results.datasets.includes('swe_trajectories') ? 'swe recall' : null].filter(Boolean).join(' / mean with ');
  return {
    x: tokens ? { label: 'cost: model tokens (input + output + cache)', get: (r) => r.tokens.total } : { label: 'cost: wall time, seconds (local engine: no model tokens)', get: (r) => r.wall_s },
    y: truth ? { label: `quality: ${headline}`, get: (r) => r.ground_truth.quality } : { label: 'quality: evidence precision (no ground truth for these inputs)', get: (r) => r.evidence_precision },
  };
}

/** Round numbers for ticks: 5 or so steps of 1, 2 or 5 × 10^k. */
function ticks(min: number, max: number): number[] {
  const span = max - min || 1;
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const out: number[] = [];
  // Rounded to the step's decimals, so a tick reads 0.6, not 0.6000000000000001.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number((Math.round(v / step) * step).toFixed(decimals)));
  return out;
}

export function renderChart(results: CompareResults): string {
  const { x, y } = chartAxes(results);
  const pts = results.strategies.map((r) => ({ label: r.strategy, x: x.get(r), y: y.get(r) })).filter((p): p is { label: string; x: number; y: number } => p.y !== null);
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const x0 = 0;
  const x1 = Math.max(1e-9, ...xs) * 1.1;
  const y0 = Math.min(0, ...ys);
  const y1 = Math.max(1, ...ys);
  const px = (v: number): number => M.left + ((v - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (v: number): number => H - M.bottom - ((v - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">Quality against cost, one point per strategy (${results.sessions} sessions, engine ${esc(results.engine)})</text>`,
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`,
  ];
  for (const t of ticks(x0, x1)) {
    out.push(`<line x1="${fix(px(t))}" y1="${H - M.bottom}" x2="${fix(px(t))}" y2="${H - M.bottom + 5}" stroke="black"/>`, `<text x="${fix(px(t))}" y="${H - M.bottom + 18}" text-anchor="middle">${t}</text>`);
  }
  for (const t of ticks(y0, y1)) {
    out.push(`<line x1="${M.left - 5}" y1="${fix(py(t))}" x2="${M.left}" y2="${fix(py(t))}" stroke="black"/>`, `<text x="${M.left - 8}" y="${fix(py(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  out.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 15}" text-anchor="middle">${esc(x.label)}</text>`,
    `<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(y.label)}</text>`,
  );
  // Labels do not overlap: each goes beside its point, or on the nearest free line above or below.
  const placed: { x0: number; x1: number; y: number }[] = [];
  const sorted = pts.map((p) => ({ ...p, cx: px(p.x), cy: py(p.y) })).sort((a, b) => a.cx - b.cx || b.cy - a.cy || (a.label < b.label ? -1 : 1));
  for (const p of sorted) {
    const width = p.label.length * 6.5;
    const right = p.cx > W * 0.6;
    const x0 = right ? p.cx - 8 - width : p.cx + 8;
    // Free line nearest the point: above, below, two above, two below, … inside the plot area.
    const free = (y: number) => y > M.top + 4 && y < H - M.bottom - 4 && !placed.some((b) => Math.abs(b.y - y) < 13 && b.x0 < x0 + width && x0 < b.x1);
    let y = p.cy - 6;
    for (let i = 1; !free(y) && i < 40; i++) y = p.cy - 6 + (i % 2 === 1 ? 1 : -1) * 14 * Math.ceil(i / 2) + (i % 2 === 1 ? 10 : 0);
    placed.push({ x0, x1: x0 + width, y });
    out.push(`<circle cx="${fix(p.cx)}" cy="${fix(p.cy)}" r="5" fill="#1f77b4" fill-opacity="0.7"/>`);
    if (Math.abs(y - (p.cy - 6)) > 1) out.push(`<line x1="${fix(p.cx)}" y1="${fix(p.cy)}" x2="${fix(right ? x0 + width : x0)}" y2="${fix(y - 4)}" stroke="#999" stroke-width="0.5"/>`);
    out.push(`<text x="${fix(right ? p.cx - 8 : p.cx + 8)}" y="${fix(y)}" text-anchor="${right ? 'end' : 'start'}">${esc(p.label)}</text>`);
  }
  if (pts.length === 0) out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no strategy produced a quality figure</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
