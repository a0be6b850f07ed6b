/**
 * LoCoMo (../shared/data/locomo, README section 4): after dreaming over a conversation's sessions
 * in order, how well does a fixed BM25 find the answer and its evidence turns in the memory
 * entries, next to BM25 over the raw turns, and how big is the store?
 *
 *   conv.json ─► one Managed Agents JSONL per session (temp dir; line n = turn n, dated) ─► dreamInOrder
 *             ─► memory entries ─► BM25 top-k per question ─► answer-token recall@k, evidence recall@k
 *   provenance: a memory's cited (session, line) pairs — evidence, History and the [Ln] items of
 *   journal sections — map back to dia_ids through the conversion table.
 *
 * LoCoMo is CC BY-NC: it is converted at eval time into a temp dir, never copied into the repo.
 * Questions and answers are read for scoring only.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMemory } from '../src/merger/parse.ts';
import { isGeneratedIndex } from '../src/merger/readme.ts';
import { dreamInOrder } from './dream-in-order.ts';
import { DATA, mean, type EvalResult } from './report.ts';

interface Turn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}
interface Conversation {
  sample_id: string;
  sessions: { session: number; date_time: string; turns: Turn[] }[];
  qa: { question: string; answer?: string | number; evidence: string[]; category: number }[];
}

const STOPWORDS = new Set(
  ('a an the of to in on at for and or is are was were be been did do does what when where who whom which how why with by from as that this it its ' +
    'his her their they he she i you we my your our me him them has have had will would can could should about into than then there here not no yes').split(' '),
);

export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((t) => !STOPWORDS.has(t));
}

/** BM25 exactly as the data README fixes it: k1 1.2, b 0.75, idf ln(1 + (N-df+.5)/(df+.5)), ties in entry order. */
export class Bm25 {
  private readonly docs: Map<string, number>[];
  private readonly lens: number[];
  private readonly df = new Map<string, number>();
  private readonly avg: number;

  constructor(texts: readonly string[]) {
    this.docs = texts.map((t) => {
      const tf = new Map<string, number>();
      for (const w of tokens(t)) tf.set(w, (tf.get(w) ?? 0) + 1);
      return tf;
    });
    this.lens = texts.map((t) => tokens(t).length);
    for (const d of this.docs) for (const w of d.keys()) this.df.set(w, (this.df.get(w) ?? 0) + 1);
    this.avg = mean(this.lens) || 1;
  }

  top(query: string, k: number): number[] {
    const n = this.docs.length;
    const q = tokens(query);
    const scores = this.docs.map((d, i) => {
      let s = 0;
      for (const w of q) {
        const tf = d.get(w) ?? 0;
        if (tf === 0) continue;
        const df = this.df.get(w)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        s += (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * this.lens[i]!) / this.avg));
      }
      return s;
    });
    return scores
      .map((s, i) => ({ s, i }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, k)
      .map((x) => x.i);
  }
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "1:56 pm on 8 May, 2023" → ISO (the time as written, taken as UTC). */
export function locomoTime(s: string): string {
  const m = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})/i.exec(s);
  if (!m) throw new Error(`unrecognized LoCoMo date_time ${JSON.stringify(s)}`);
  const hour = (Number(m[1]) % 12) + (m[3]!.toLowerCase() === 'pm' ? 12 : 0);
  const month = MONTHS.indexOf(m[5]!.toLowerCase());
  return new Date(Date.UTC(Number(m[6]), month, Number(m[4]), hour, Number(m[2]))).toISOString();
}

function turnText(t: Turn): string {
  return t.blip_caption ? `${t.speaker}: ${t.text} [shares a photo: ${t.blip_caption}]` : `${t.speaker}: ${t.text}`;
}

interface Doc {
  text: string;
  dia: Set<string>;
}

interface Scores {
  answer: Record<number, number[]>;
  evidence: Record<number, number[]>;
}

function score(docs: Doc[], conv: Conversation, turnIds: Set<string>, ks: number[], into: Map<string, Scores>): void {
  const bm = new Bm25(docs.map((d) => d.text));
  for (const q of conv.qa) {
    if (q.category < 1 || q.category > 4) continue;
    for (const cat of [String(q.category), 'all']) if (!into.has(cat)) into.set(cat, { answer: {}, evidence: {} });
    for (const k of ks) {
      const top = bm.top(q.question, k);
      const answerToks = [...new Set(tokens(String(q.answer ?? '')))];
      const evidence = [...new Set(q.evidence.filter((e) => turnIds.has(e)))];
      const topToks = new Set(top.flatMap((i) => tokens(docs[i]!.text)));
      const topDia = new Set(top.flatMap((i) => [...docs[i]!.dia]));
      for (const cat of [String(q.category), 'all']) {
        const s = into.get(cat)!;
        if (answerToks.length > 0) (s.answer[k] ??= []).push(answerToks.filter((t) => topToks.has(t)).length / answerToks.length);
        if (evidence.length > 0) (s.evidence[k] ??= []).push(evidence.filter((e) => topDia.has(e)).length / evidence.length);
      }
    }
  }
}

/** (session, line) pairs a memory cites: evidence, History, and the [Ln] items of journal sections. */
function citedLines(content: string, path: string): [string, number][] {
  const out: [string, number][] = [];
  const entry = parseMemory(path, content);
  if (entry) {
    for (const e of [...entry.evidence, ...entry.history.flatMap((h) => h.evidence)]) {
      if (e.lines) for (let l = e.lines[0]; l <= e.lines[1]; l++) out.push([e.session_id, l]);
    }
  }
  let session: string | null = null;
  for (const line of content.split('\n')) {
    const head = /\((sesn_[A-Za-z0-9]+)\):$/.exec(line);
    if (head) session = head[1]!;
    if (session) for (const m of line.matchAll(/\[L(\d+)\]/g)) out.push([session, Number(m[1])]);
  }
  return out;
}

export async function run(): Promise<EvalResult> {
  const ks = [5, 10];
  const raw = new Map<string, Scores>();
  const mem = new Map<string, Scores>();
  const sizes: (string | number)[][] = [];
  const perConv: Record<string, unknown> = {};
  for (const name of ['conv-26', 'conv-30']) {
    const conv = JSON.parse(readFileSync(join(DATA, 'locomo', `${name}.json`), 'utf8')) as Conversation;
    const dir = await mkdtemp(join(tmpdir(), `dreamwork-locomo-${name}-`));
    const files: string[] = [];
    const lineToDia: Map<string, string>[] = [];
    const turnIds = new Set<string>();
    const rawDocs: Doc[] = [];
    let turnBytes = 0;
    for (const s of conv.sessions) {
      const at = locomoTime(s.date_time);
      const map = new Map<string, string>();
      const lines = s.turns.map((t, i) => {
        map.set(String(i + 1), t.dia_id);
        turnIds.add(t.dia_id);
        turnBytes += Buffer.byteLength(t.text, 'utf8');
        rawDocs.push({ text: `${t.speaker} ${t.text} ${t.blip_caption ?? ''} ${s.date_time}`, dia: new Set([t.dia_id]) });
        return JSON.stringify({ type: 'user.message', processed_at: at, content: [{ type: 'text', text: turnText(t) }] });
      });
      const file = join(dir, `session-${String(s.session).padStart(2, '0')}.events.jsonl`);
      await writeFile(file, lines.join('\n') + '\n');
      files.push(file);
      lineToDia.push(map);
    }
    const dreamed = await dreamInOrder(files, `locomo-${name}`);
    const bySession = new Map(dreamed.sessionIds.map((id, i) => [id, lineToDia[i]!]));
    const memories = dreamed.snapshot.filter((m) => !isGeneratedIndex(m.content));
    const docs: Doc[] = memories.map((m) => ({
      text: m.content,
      dia: new Set(citedLines(m.content, m.path).flatMap(([sid, l]) => bySession.get(sid)?.get(String(l)) ?? [])),
    }));
    score(rawDocs, conv, turnIds, ks, raw);
    score(docs, conv, turnIds, ks, mem);
    const storeBytes = memories.reduce((n, m) => n + Buffer.byteLength(m.content, 'utf8'), 0);
    const allBytes = dreamed.snapshot.reduce((n, m) => n + Buffer.byteLength(m.content, 'utf8'), 0);
    const lessonBytes = memories.reduce((n, m) => n + Buffer.byteLength(m.content.split('\n## Provenance')[0]!, 'utf8'), 0);
    sizes.push([name, memories.length, turnBytes, storeBytes, storeBytes / turnBytes, allBytes / turnBytes, lessonBytes / turnBytes]);
    perConv[name] = { memories: memories.length, turn_bytes: turnBytes, store_bytes: storeBytes, with_index_bytes: allBytes, lesson_bytes: lessonBytes };
  }

  const cats = ['1', '2', '3', '4', 'all'];
  const row = (s: Scores | undefined): number[] => [mean(s?.answer[5] ?? []), mean(s?.answer[10] ?? []), mean(s?.evidence[5] ?? []), mean(s?.evidence[10] ?? [])];
  const rawAll = row(raw.get('all'));
  const memAll = row(mem.get('all'));
  const ratio = memAll.map((v, i) => v / rawAll[i]!);
  const totalTurn = sizes.reduce((n, r) => n + Number(r[2]), 0);
  const totalStore = sizes.reduce((n, r) => n + Number(r[3]), 0);
  const totalWithIndex = Object.values(perConv).reduce((n: number, c) => n + (c as { with_index_bytes: number }).with_index_bytes, 0);
  return {
    name: 'locomo',
    summary:
      `Memory entries vs raw turns, categories 1–4 of both conversations: answer-token recall@10 ${memAll[1]!.toFixed(3)} vs ${rawAll[1]!.toFixed(3)} ` +
      `(${(ratio[1]! * 100).toFixed(0)}%), evidence recall@10 ${memAll[3]!.toFixed(3)} vs ${rawAll[3]!.toFixed(3)} (${(ratio[3]! * 100).toFixed(0)}%), ` +
      `store ${((totalStore / totalTurn) * 100).toFixed(1)}% of the turn text bytes (${((totalWithIndex / totalTurn) * 100).toFixed(1)}% counting the generated index too).`,
    tables: [
      {
        title: 'Recall by category (memory entries | raw turns)',
        columns: ['category', 'questions (answer / evidence)', 'answer@5', 'answer@10', 'evidence@5', 'evidence@10', 'raw answer@5', 'raw answer@10', 'raw evidence@5', 'raw evidence@10'],
        rows: cats.map((c) => [c, `${mem.get(c)?.answer[10]?.length ?? 0} / ${mem.get(c)?.evidence[10]?.length ?? 0}`, ...row(mem.get(c)), ...row(raw.get(c))]),
      },
      { title: 'Memory recall as a fraction of the raw-turn baseline (all)', columns: ['answer@5', 'answer@10', 'evidence@5', 'evidence@10'], rows: [ratio] },
      {
        title: 'Store size',
        columns: ['conversation', 'memories', 'turn text bytes', 'memory bytes', 'memories / turns', 'with index / turns', 'lesson text only / turns'],
        rows: sizes,
      },
    ],
    json: { raw: Object.fromEntries(cats.map((c) => [c, row(raw.get(c))])), memory: Object.fromEntries(cats.map((c) => [c, row(mem.get(c))])), ratio, conversations: perConv },
    notes: [
      'Columns of recall are [answer@5, answer@10, evidence@5, evidence@10]; questions of category 5 are skipped, as are answers without tokens and questions whose evidence has no turn id.',
      'Each memory file (title, body, provenance) is one BM25 document; the generated index (/README.md) is not a memory entry and is excluded from retrieval and from "memory bytes".',
      'A memory\'s dia_ids are the turns it cites: evidence and History lines (session + line) and the [Ln] items under each "(sesn_…):" section of a journal, mapped through the conversion (line n of a session file = turn n).',
      'A conversation is stored as one journal memory per month (a dated section per session, one line per speaker, each item citing its turn [Ln]); with 10 or fewer memories per conversation the top 10 is the whole store, so @10 measures what the store kept and @5 how well BM25 finds it.',
      'The raw baseline is recomputed here with the same BM25 (each turn: speaker, text, photo caption, date_time) and should match ../shared/data/README.md.',
    ],
  };
}
