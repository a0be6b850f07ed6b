import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitLines, visibleText } from './src/core/lines.ts';
import { failureRanges } from './src/engine/local/failure/ranges.ts';
import { goldLines } from './eval/logchunks.ts';
const root = '/work/shared/data/logchunks';
const only = process.argv[2];
const show = process.argv[3] === 'show';
let sr = 0, sp = 0, n = 0;
for (const repo of readdirSync(root).filter((d) => !d.includes('.')).sort()) {
  if (only && !repo.includes(only)) continue;
  const labels = JSON.parse(readFileSync(join(root, repo, 'labels.json'), 'utf8'));
  for (const label of labels) {
    const file = label.InputPath.split('/').pop();
    const text = readFileSync(join(root, repo, 'logs', file), 'utf8');
    const lines = splitLines(text);
    const ranges = failureRanges(lines, { max: 5 });
    const gold = goldLines(text, label.Chunk)!;
    const top = ranges[0]?.score ?? 0;
    const picked = ranges.slice(0, 3).filter((r, i) => i === 0 || r.score >= top * 0.8);
    const P = new Set<number>();
    for (const r of picked) for (let l = r.start; l <= r.end; l++) if (visibleText(lines[l - 1] ?? '').trim() !== '') P.add(l);
    if (process.env.EXITLINE && picked[0]) { for (let l = picked[0].end; l <= lines.length && l < picked[0].end + 40; l++) { const v = visibleText(lines[l-1]!); if (/^\$ /.test(v)) break; if (/exited with [1-9]/.test(v)) { P.add(l); break; } } }
    let both = 0; for (const l of P) if (gold.lines.has(l)) both++;
    const rec = both / gold.lines.size, prec = P.size ? both / P.size : 0;
    sr += rec; sp += prec; n++;
    const g = [...gold.lines];
    console.log(`${repo.split('__')[1]} ${file} R=${rec.toFixed(2)} P=${prec.toFixed(2)} gold=${Math.min(...g)}-${Math.max(...g)}(${g.length}) ranges=${ranges.map((r) => `${r.start}-${r.end}:${r.score}`).join(' ')} | ${ranges[0]?.signature.slice(0, 80)}`);
    if (show && (rec < 0.99 || prec < 0.5)) {
      const lo = Math.max(1, Math.min(Math.min(...g), ...picked.map((r) => r.start)) - 3);
      const hi = Math.min(lines.length, Math.max(Math.max(...g), ...picked.map((r) => r.end)) + 3);
      const win = new Set<number>();
      const add = (a: number, b: number) => { for (let l = Math.max(1, a); l <= Math.min(lines.length, b); l++) win.add(l); };
      add(Math.min(...g) - 4, Math.min(Math.max(...g), Math.min(...g) + 25) + 4);
      for (const r of picked) add(r.start - 2, Math.min(r.end, r.start + 15) + 2);
      let prev = 0;
      for (const l of [...win].sort((a, b) => a - b)) { if (l !== prev + 1) console.log('   ...'); prev = l; console.log(`   ${gold.lines.has(l) ? 'G' : ' '}${P.has(l) ? 'P' : ' '} ${l}: ${visibleText(lines[l - 1]!).slice(0, 150)}`); }
    }
  }
}
console.log('mean R', (sr / n).toFixed(3), 'P', (sp / n).toFixed(3));
