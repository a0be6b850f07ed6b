// Quarantined memory writes: what screening refused, why (each flag's rule, line and excerpt),
// who wrote it (a dream or a client) and the session lines it cited. Everything in an entry is
// hostile by definition, so it only ever reaches the page through h() as text nodes.
import { api, listAll } from '../api.js';
import { badge, h, mount, notice, section, table, time } from '../dom.js';
import { evidenceItem } from '../evidence.js';
import { releasePanel } from './actions.js';

// The characters src/screening/excerpt.ts spells out: in the refused content they are shown as
// marked `<U+XXXX>` text, so what was hidden from a reader is visible on the page.
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/gu;

function showHidden(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(h('span', { class: 'hidden-char', title: 'invisible character' }, `<U+${m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}>`));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function flagLine(f, lines = [f.line]) {
  return h(
    'li',
    { class: 'flag', dataset: { rule: f.rule } },
    badge(f.category.replaceAll('_', ' '), 'failed'),
    ' ',
    h('span', { class: 'reason' }, f.reason),
    h('span', { class: 'muted' }, ` · rule ${f.rule} · ${lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')}`),
    f.excerpt ? h('div', { class: 'excerpt' }, h('code', {}, f.excerpt)) : null,
  );
}

/** A memory often trips one rule on many lines: one row per rule and reason, its first excerpt. */
function groupedFlags(flags) {
  const groups = new Map();
  for (const f of flags) {
    const key = `${f.category}\u0000${f.rule}\u0000${f.reason}`;
    const g = groups.get(key);
    if (g) {
      if (!g.lines.includes(f.line)) g.lines.push(f.line);
    } else groups.set(key, { flag: f, lines: [f.line] });
  }
  return [...groups.values()].map((g) => flagLine(g.flag, g.lines));
}

/** One entry as a list item: path, a row per rule, a link to the whole entry. */
export function quarantineItem(e) {
  return h(
    'li',
    { class: 'quarantined', dataset: { quarantine: e.id } },
    h('div', { class: 'q-head' }, h('span', { class: 'mono path' }, e.path), ' ', h('a', { href: `#/quarantine/${e.id}`, class: 'q-open' }, 'open the entry →')),
    h('ul', { class: 'flags' }, groupedFlags(e.flags)),
  );
}

function sourceText(s) {
  if (s.type === 'dream') return [h('a', { href: `#/dreams/${s.dream_id}`, class: 'mono', id: 'q-source' }, s.dream_id), ' (dream)'];
  const actor = Object.entries(s.actor)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return h('span', { id: 'q-source' }, `client ${s.operation} by ${actor}`);
}

export async function quarantineView(main, { id, isCurrent }) {
  const e = await api(`/v1/review/quarantine/${id}`);
  if (!isCurrent()) return;
  mount(
    main,
    h(
      'section',
      { class: 'card' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/quarantine' }, 'Quarantine'), ' / ', h('span', { class: 'mono' }, e.id)),
      h('h1', {}, 'Quarantined ', h('span', { class: 'mono' }, e.path)),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'source'),
        h('dd', {}, sourceText(e.source)),
        h('dt', {}, 'store'),
        h('dd', {}, e.memory_store_id ? h('a', { href: `#/stores/${e.memory_store_id}/versions`, class: 'mono' }, e.memory_store_id) : h('span', { class: 'muted' }, 'none')),
        h('dt', {}, 'refused'),
        h('dd', {}, time(e.created_at)),
        h('dt', {}, 'sessions'),
        h('dd', { class: 'mono' }, e.sessions.length ? e.sessions.join(' ') : '—'),
      ),
    ),
    section('Why it was refused', h('ul', { class: 'flags', id: 'q-flags' }, e.flags.map((f) => flagLine(f)))),
    section(
      'Evidence it cited',
      e.evidence.length ? h('ul', { class: 'evidence-list', id: 'q-evidence' }, e.evidence.map(evidenceItem)) : notice('No evidence was cited.'),
    ),
    section(
      'Refused content',
      h('p', { class: 'muted' }, 'As the writer sent it, secrets redacted, invisible characters spelled out. Never written to a store; shown as plain text.'),
      h('pre', { class: 'refused', id: 'q-content' }, showHidden(e.content)),
    ),
    releasePanel(e),
  );
  return undefined;
}

export async function quarantineListView(main, { isCurrent }) {
  const entries = await listAll('/v1/review/quarantine', { limit: 100 });
  if (!isCurrent()) return;
  const rows = entries.map((e) =>
    h(
      'tr',
      { dataset: { quarantine: e.id } },
      h('td', {}, h('a', { href: `#/quarantine/${e.id}`, class: 'mono q-path' }, e.path)),
      h('td', {}, [...new Set(e.flags.map((f) => f.category))].map((c) => [badge(c.replaceAll('_', ' '), 'failed'), ' '])),
      h(
        'td',
        { class: 'q-source' },
        e.source.type === 'dream' ? h('a', { href: `#/dreams/${e.source.dream_id}`, class: 'mono' }, e.source.dream_id) : `client ${e.source.operation}`,
        e.memory_store_id ? h('div', { class: 'mono muted' }, e.memory_store_id) : null,
      ),
      h('td', { class: 'nowrap' }, time(e.created_at)),
    ),
  );
  mount(
    main,
    section(
      'Quarantine',
      h('p', { class: 'muted' }, 'Memory writes screening refused, in every store, newest first. Nothing here is read by a dream or an agent.'),
      entries.length ? table(['memory path', 'flags', 'source · store', 'refused'], rows, { id: 'quarantine-table' }) : notice('Nothing is quarantined.'),
    ),
  );
  return undefined;
}

/** The dream view's list of its quarantined writes (all of them: a dream refuses a handful). */
export async function dreamQuarantine(dreamId) {
  return listAll('/v1/review/quarantine', { dream_id: dreamId, limit: 100 });
}
