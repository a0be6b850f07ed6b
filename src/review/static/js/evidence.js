// Evidence citations → links to the session lines they came from. Memories cite evidence as
// `sesn_… L12-14 (event sevt_…; <time>): "quote"` (src/merger/render.ts); findings carry the same
// parts as JSON. Both open #/sessions/<id>?start=&end=&event=.
import { h } from './dom.js';

const CITATION = /\b(sesn_[A-Za-z0-9]{8,64})(?: L(\d+)(?:-(\d+))?)?(?: \(event (sevt_[A-Za-z0-9]{8,64}))?/g;

export function sessionHref(sessionId, { start, end, event } = {}) {
  const q = new URLSearchParams();
  if (start) q.set('start', String(start));
  if (end && end !== start) q.set('end', String(end));
  if (event) q.set('event', event);
  const s = q.toString();
  return `#/sessions/${sessionId}${s ? `?${s}` : ''}`;
}

/** A link for one Evidence object {session_id, event_id, lines, quote}. */
export function evidenceLink(ev) {
  const [start, end] = ev.lines ?? [];
  const label = ev.lines ? `${ev.session_id} L${start === end ? start : `${start}-${end}`}` : `${ev.session_id} ${ev.event_id ?? ''}`.trim();
  return h('a', { href: sessionHref(ev.session_id, { start, end, event: ev.event_id }), class: 'evidence mono' }, label);
}

export function evidenceItem(ev) {
  return h('li', { class: 'evidence-item' }, evidenceLink(ev), ' ', h('q', {}, ev.quote));
}

/**
 * Split a line of memory text into text and citation links. Only a session id with its optional
 * line range and event becomes a link; the rest stays text.
 */
export function linkify(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(CITATION)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const [all, session, start, end, event] = m;
    const href = sessionHref(session, { start: start && Number(start), end: end ? Number(end) : start && Number(start), event });
    out.push(h('a', { href, class: 'evidence', title: 'open the cited session lines' }, all));
    last = m.index + all.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
