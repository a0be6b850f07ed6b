import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitLines, visibleText } from './src/core/lines.ts';
import { failureRanges } from './src/engine/local/failure/ranges.ts';
import { KnownTemplates, novelLines } from './src/engine/local/failure/known.ts';
import { parseGroundTruth, lcsDiff } from './eval/cidiff.ts';
const c = process.argv[2]!;
const root = '/work/shared/data/cidiff';
const failText = readFileSync(join(root, c, 'fail.log'), 'utf8');
const fail = splitLines(failText);
const pass = splitLines(readFileSync(join(root, c, 'pass.log'), 'utf8'));
const map = [0]; { let n = 1; const re = /\r\n|\r|\n/g; let last = 0; for (let m = re.exec(failText); m; m = re.exec(failText)) { map.push(n); if (m[0] !== '\r') n++; last = m.index + m[0].length; } if (last < failText.length) map.push(n); }
const { E, C } = parseGroundTruth(readFileSync(join(root, c, 'groundtruth'), 'utf8'), map);
const known = KnownTemplates.of([pass]);
const ranges = failureRanges(fail, { passLines: [pass], max: 50 });
const P = novelLines(fail, known, ranges);
const B = lcsDiff(fail, pass);
console.log(ranges.slice(0, 8).map((r) => `${r.start}-${r.end}:${r.score}`).join(' '));
for (let l = 1; l <= fail.length; l++) {
  if (E.has(l) || P.has(l) || B.has(l)) console.log(`${E.has(l) ? 'E' : C.has(l) ? 'C' : ' '}${P.has(l) ? 'P' : ' '}${B.has(l) ? 'B' : ' '} ${l}: ${visibleText(fail[l - 1]!).slice(0, 140)}`);
}
