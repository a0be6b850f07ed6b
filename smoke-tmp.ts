import { merge } from './src/merger/merge.ts';
import { parseMemory } from './src/merger/parse.ts';
const ev = (s: string, l: number, q: string, t: string | null = null) => ({ session_id: s, event_id: `sevt_${s.slice(5)}${l}`, lines: [l, l + 1] as [number, number], quote: q, observed_at: t });
const fs = [
  { kind: 'failure' as const, key: 'npm:eresolve', title: 'npm ci fails with ERESOLVE peer dependency conflict', body: 'npm ci stops with ERESOLVE.\n# Fix: use --legacy-peer-deps', value: null, observed_at: '2024-05-01T10:00:00Z', sequence: 0, evidence: [ev('sesn_aaaaaaaa', 12, 'npm ERR! code ERESOLVE')], attributes: { exit_code: 1 }, confidence: 0.8 },
  { kind: 'failure' as const, key: 'npm:eresolve2', title: 'npm ci fails with ERESOLVE peer-dependency conflict', body: 'Same.', value: null, observed_at: '2024-05-02T10:00:00Z', sequence: 1, evidence: [ev('sesn_bbbbbbbb', 40, 'npm ERR! code ERESOLVE')], attributes: {}, confidence: 0.9 },
  { kind: 'fact' as const, key: 'dev-server-port', title: 'The dev server listens on port 3000', body: 'Use port 3000.', value: '3000', observed_at: '2024-04-01T00:00:00Z', sequence: 0, evidence: [ev('sesn_aaaaaaaa', 3, 'PORT=3000')], attributes: {}, confidence: 0.7 },
  { kind: 'fact' as const, key: 'dev-server-port', title: 'The dev server listens on port 8080', body: 'Use port 8080 AKIAABCDEFGHIJKLMNOP.', value: '8080', observed_at: '2024-06-01T00:00:00Z', sequence: 1, evidence: [ev('sesn_bbbbbbbb', 5, 'PORT=8080')], attributes: {}, confidence: 0.7 },
];
const r = merge([{ path: '/notes/mine.md', content: 'hello\n' }], fs);
for (const m of r.store) console.log('=====', m.path, '\n' + m.content);
console.log(JSON.stringify(r.report, null, 1));
for (const m of r.store) console.log(m.path, parseMemory(m.path, m.content) !== null);
const r2 = merge(r.store, []);
console.log('idempotent', JSON.stringify(r2.store) === JSON.stringify(r.store));
