// The diff of a dream's output store against its input, per memory: status, superseded values,
// and a numbered line diff in which every cited piece of evidence links to its session lines.
// Memories can be selected here for promotion.
import { api } from '../api.js';
import { badge, h, mount, notice, section } from '../dom.js';
import { evidenceLink, linkify } from '../evidence.js';
import { promotePanel } from './actions.js';

/** Unchanged lines kept around a change; longer unchanged runs fold into one row. */
const CONTEXT = 3;

function lineRow(l) {
  const sign = l.op === 'add' ? '+' : l.op === 'del' ? '−' : ' ';
  return h(
    'tr',
    { class: `dl dl-${l.op}` },
    h('td', { class: 'ln' }, l.old ?? ''),
    h('td', { class: 'ln' }, l.new ?? ''),
    h('td', { class: 'sign' }, sign),
    h('td', { class: 'code' }, linkify(l.text)),
  );
}

/** Rows for a line diff, unchanged runs longer than 2×CONTEXT folded (click to unfold). */
export function diffRows(lines) {
  const keep = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.op === 'same') return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(lines.length - 1, i + CONTEXT); j++) keep[j] = true;
  });
  const rows = [];
  for (let i = 0; i < lines.length; ) {
    if (keep[i]) {
      rows.push(lineRow(lines[i++]));
      continue;
    }
    let j = i;
    while (j < lines.length && !keep[j]) j++;
    const hidden = lines.slice(i, j);
    const fold = h('tr', { class: 'fold' }, h('td', { colspan: 4 }, h('button', { type: 'button', class: 'btn btn-link' }, `⋯ ${hidden.length} unchanged line(s)`)));
    fold.querySelector('button').addEventListener('click', () => fold.replaceWith(...hidden.map(lineRow)));
    rows.push(fold);
    i = j;
  }
  return rows;
}

function supersededList(items) {
  if (items.length === 0) return null;
  return h(
    'div',
    { class: 'superseded' },
    h('h4', {}, 'Superseded values'),
    h(
      'ul',
      {},
      items.map((s) =>
        h(
          'li',
          {},
          s.new ? badge('superseded by this dream', 'changed') : badge('earlier', 'muted'),
          ' ',
          h('q', { class: 'old-value' }, s.value),
          h('span', { class: 'muted' }, ` last seen ${s.last_seen.at ?? '(no date)'} in `),
          s.evidence.length ? s.evidence.map((e) => [evidenceLink(e), ' ']) : h('span', { class: 'mono' }, s.last_seen.session_id),
        ),
      ),
    ),
  );
}

function memoryCard(c, selectable) {
  const box = selectable ? h('input', { type: 'checkbox', class: 'pick', value: c.path, 'aria-label': `select ${c.path}` }) : null;
  return h(
    'article',
    { class: `memory memory-${c.status}`, dataset: { path: c.path, status: c.status } },
    h(
      'header',
      {},
      box ? h('label', { class: 'pick-label' }, box) : null,
      badge(c.status),
      ' ',
      h('span', { class: 'mono path' }, c.path),
      h('span', { class: 'stat' }, h('span', { class: 'plus' }, `+${c.added_lines}`), ' ', h('span', { class: 'minus' }, `−${c.removed_lines}`)),
    ),
    c.title ? h('p', { class: 'memory-title' }, c.kind ? badge(c.kind, 'muted') : null, ' ', c.title) : null,
    supersededList(c.superseded),
    h('table', { class: 'diff' }, h('tbody', {}, diffRows(c.lines))),
  );
}

export async function diffView(main, { id, isCurrent }) {
  const [d, detail] = await Promise.all([api(`/v1/review/dreams/${id}/diff`), api(`/v1/review/dreams/${id}`)]);
  if (!isCurrent()) return;
  const count = (s) => d.changes.filter((c) => c.status === s).length;
  const selectable = d.to.kind === 'output_store';
  const against =
    d.to.kind === 'output_store'
      ? ['output store ', h('a', { href: `#/stores/${d.to.store_id}/versions`, class: 'mono' }, d.to.store_id)]
      : d.to.kind === 'candidate'
        ? ['the candidate the dream left (no store was written)']
        : ['nothing yet (no output and no candidate)'];
  const cards = d.changes.map((c) => memoryCard(c, selectable));
  const selected = () => [...main.querySelectorAll('input.pick:checked')].map((x) => x.value);
  mount(
    main,
    h(
      'section',
      { class: 'card' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Dreams'), ' / ', h('a', { href: `#/dreams/${id}`, class: 'mono' }, id), ' / diff'),
      h('h1', {}, 'Diff'),
      h('p', {}, 'Input store ', h('a', { href: `#/stores/${d.from.store_id}/versions`, class: 'mono' }, d.from.store_id), ' as the dream read it, against ', against, '.'),
      h(
        'p',
        { class: 'summary', id: 'diff-summary' },
        badge(`${count('added')} added`, 'added'),
        ' ',
        badge(`${count('changed')} changed`, 'changed'),
        ' ',
        badge(`${count('removed')} removed`, 'removed'),
        ' ',
        badge(`${d.unchanged} unchanged`, 'muted'),
        ' ',
        badge(`${d.changes.reduce((n, c) => n + c.superseded.filter((s) => s.new).length, 0)} value(s) superseded`, 'changed'),
      ),
    ),
    selectable ? promotePanel(detail, d.to.store_id, selected) : null,
    d.changes.length ? section('Memories', cards) : notice('No memory changed.'),
  );
  return undefined;
}
