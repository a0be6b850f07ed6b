// The dreams list: status, progress, usage; polls while any dream is still running.
import { api } from '../api.js';
import { badge, h, mount, notice, num, section, table, time } from '../dom.js';

const POLL_MS = 2000;
/** With nothing running the list still looks for new dreams, less often. */
const IDLE_POLL_MS = 15000;
const LIVE = new Set(['pending', 'running']);

export function progressBar(p, status) {
  const total = p.batches_total;
  const pct = total ? Math.round((100 * p.batches_done) / total) : status === 'completed' ? 100 : 0;
  const label = total === null ? (LIVE.has(status) ? 'planning…' : '—') : `${p.batches_done}/${total} batches`;
  const fill = h('div', { class: `progress-fill progress-${status}` });
  // Set through the CSSOM: the page's CSP refuses inline style attributes.
  fill.style.width = `${pct}%`;
  return h(
    'div',
    { class: 'progress', title: `${label}; ${p.evaluations} grader evaluation(s)` },
    h('div', { class: 'progress-track' }, fill),
    h('span', { class: 'progress-label' }, label, p.evaluations > 0 ? ` · ${p.evaluations} eval` : ''),
  );
}

export function usageText(u) {
  const total = u.input_tokens + u.output_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;
  if (total === 0) return h('span', { class: 'muted' }, 'no model tokens');
  return `${num(u.input_tokens)} in · ${num(u.output_tokens)} out` + (u.cache_read_input_tokens ? ` · ${num(u.cache_read_input_tokens)} cached` : '');
}

function row({ dream: d, progress }) {
  const sessions = d.inputs.find((i) => i.type === 'sessions')?.session_ids.length ?? 0;
  return h(
    'tr',
    { dataset: { dream: d.id } },
    h('td', {}, h('a', { href: `#/dreams/${d.id}`, class: 'mono' }, d.id)),
    h('td', {}, badge(d.status), d.archived_at ? badge('archived') : null),
    h('td', {}, progressBar(progress, d.status)),
    h('td', { class: 'num' }, sessions),
    h('td', {}, d.model.id),
    h('td', {}, usageText(d.usage)),
    h('td', {}, time(d.created_at)),
  );
}

export async function dreamsView(main, { isCurrent }) {
  let timer = null;
  const load = async () => {
    const { data } = await api('/v1/review/dreams');
    if (!isCurrent()) return;
    const live = data.some((s) => LIVE.has(s.dream.status));
    mount(
      main,
      section(
        'Dreams',
        h('p', { class: 'muted' }, `${data.length} dream(s), newest first.`, live ? ' Refreshing while a dream runs.' : ''),
        data.length === 0
          ? notice('No dreams yet. Start one with `dream run` or POST /v1/dreams.')
          : table(['dream', 'status', 'progress', 'sessions', 'model', 'usage', 'created'], data.map(row), { class: 'dreams', id: 'dreams-table' }),
      ),
    );
    timer = setTimeout(() => load().catch(() => undefined), live ? POLL_MS : IDLE_POLL_MS);
  };
  await load();
  return () => clearTimeout(timer);
}
