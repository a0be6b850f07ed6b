// The lines of a session's original file that a piece of evidence cites, highlighted, with
// context around them and links to read further up or down.
import { api, qs } from '../api.js';
import { h, mount, num, section } from '../dom.js';
import { sessionHref } from '../evidence.js';

const PAGE = 100;

export async function sessionView(main, { id, query, isCurrent }) {
  const start = query.get('start') ?? undefined;
  const end = query.get('end') ?? undefined;
  const event = query.get('event') ?? undefined;
  const r = await api(`/v1/review/sessions/${id}/lines${qs({ start, end, event, context: 8 })}`);
  if (!isCurrent()) return;
  const s = r.session;
  const [hlStart, hlEnd] = r.highlight ?? [0, -1];
  const rows = r.lines.map((l) =>
    h(
      'tr',
      { class: l.n >= hlStart && l.n <= hlEnd ? 'hl' : null, id: `L${l.n}`, dataset: { line: l.n } },
      h('td', { class: 'ln' }, l.n),
      h('td', { class: 'code' }, l.text),
    ),
  );
  // Moving the window keeps no highlight: the reviewer is reading around, not at a citation.
  const earlier = r.start > 1 ? h('a', { href: sessionHref(id, { start: Math.max(1, r.start - PAGE), end: r.start - 1 }), class: 'btn' }, `↑ ${Math.min(PAGE, r.start - 1)} earlier lines`) : null;
  const later = r.end < s.line_count ? h('a', { href: sessionHref(id, { start: r.end + 1, end: Math.min(s.line_count, r.end + PAGE) }), class: 'btn' }, `↓ later lines`) : null;
  mount(
    main,
    h(
      'section',
      { class: 'card' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Dreams'), ' / session ', h('span', { class: 'mono' }, s.id)),
      h('h1', {}, s.title),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'session'),
        h('dd', { class: 'mono' }, s.id),
        h('dt', {}, 'kind'),
        h('dd', {}, `${s.kind} · ${s.format} · ${num(s.line_count)} lines`),
        h('dt', {}, 'imported from'),
        h('dd', { class: 'mono' }, s.source_path),
        r.highlight ? [h('dt', {}, 'cited'), h('dd', { id: 'cited' }, hlStart === hlEnd ? `line ${hlStart}` : `lines ${hlStart}–${hlEnd}`)] : null,
        r.event ? [h('dt', {}, 'event'), h('dd', {}, h('span', { class: 'mono' }, r.event.id), ` (${r.event.type})`)] : null,
      ),
      r.event ? h('div', { class: 'event-text' }, h('h4', {}, 'Cited event, as normalized'), h('pre', { id: 'event-text' }, r.event.text)) : null,
    ),
    section(
      r.lines.length ? `Lines ${r.start}–${r.end} of ${num(s.line_count)}` : 'No lines',
      h('p', { class: 'muted' }, 'From the original file as imported; secrets are redacted again before display.'),
      earlier,
      h('table', { class: 'lines', id: 'session-lines' }, h('tbody', {}, rows)),
      later,
    ),
  );
  main.querySelector('tr.hl')?.scrollIntoView({ block: 'center' });
  return undefined;
}
