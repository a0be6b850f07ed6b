// Building DOM nodes without innerHTML: everything shown here (memories, transcript lines, notes)
// is untrusted text, so it only ever enters the page as text nodes.

/**
 * h('a', { href: '#/x', class: 'btn', onclick: fn }, 'text', child, [more]) → element.
 * Attributes named on* become listeners; null/undefined/false children and attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replace the contents of `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // ISO-like and in UTC, so what a reviewer reads matches the files and the CLI.
  return h('time', { datetime: iso, title: iso }, d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC');
}

export function num(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : '—';
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).replace(/[^a-z_-]/gi, '')}` }, text);
}

/** A section with a heading, as every view is laid out. */
export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function table(headers, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
    h('tbody', {}, rows),
  );
}

/** The "Loading…" / error placeholder a view shows while it fetches. */
export function notice(text, kind = 'info') {
  return h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
