// A store's recorded versions (newest first) with who wrote each, and the review actions that
// touched the store, with their notes; a rollback starts from here.
import { api, listAll } from '../api.js';
import { badge, h, mount, section, table, time } from '../dom.js';
import { rollbackPanel, reviewsTable } from './actions.js';

export function actorText(a) {
  if (!a) return h('span', { class: 'muted' }, 'unknown');
  switch (a.type) {
    case 'user_actor':
      return h('span', { class: 'actor actor-user' }, 'user ', h('strong', {}, a.user_id));
    case 'session_actor':
      return h('span', { class: 'actor' }, 'session ', h('span', { class: 'mono' }, a.session_id));
    case 'api_actor':
      return h('span', { class: 'actor' }, 'API key ', h('span', { class: 'mono' }, a.api_key_id));
    default:
      return h('span', { class: 'actor' }, a.type);
  }
}

/** The store's tier as the API shows it (a read-only metadata key); working when absent. */
export function tierOf(store) {
  return store.metadata?.['dreamwork.tier'] ?? 'working';
}

function versionRows(versions) {
  return versions.map((v) =>
    h(
      'tr',
      { dataset: { version: v.id } },
      h('td', {}, badge(v.operation, v.operation === 'created' ? 'added' : v.operation === 'deleted' ? 'removed' : 'changed')),
      h('td', { class: 'mono' }, v.path ?? h('span', { class: 'muted' }, '(redacted)')),
      h('td', {}, actorText(v.created_by)),
      h('td', {}, time(v.created_at)),
      h('td', { class: 'mono muted' }, v.id),
    ),
  );
}

export async function versionsView(main, { id, isCurrent }) {
  const store = await api(`/v1/memory_stores/${id}`);
  const reviewsBox = h('div', {});
  const versionsBox = h('div', {});
  // After a rollback the lists are read again; the panel keeps its confirmation on screen.
  const refresh = async () => {
    const [versions, reviews] = await Promise.all([listAll(`/v1/memory_stores/${id}/memory_versions`, { limit: 100 }), listAll('/v1/reviews', { store: id, limit: 100 })]);
    mount(reviewsBox, section('Review actions on this store', reviews.length ? reviewsTable(reviews) : h('p', { class: 'muted' }, 'None yet.')));
    mount(versionsBox, section(`Versions (${versions.length})`, table(['operation', 'path', 'by', 'at', 'version'], versionRows(versions), { class: 'versions', id: 'versions-table' })));
    return reviews;
  };
  const reviews = await refresh();
  if (!isCurrent()) return;
  mount(
    main,
    h(
      'section',
      { class: 'card' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Dreams'), ' / store ', h('span', { class: 'mono' }, id)),
      h('h1', {}, store.name, ' ', badge(`${tierOf(store)} tier`, tierOf(store)), store.archived_at ? badge('archived') : null),
      store.description ? h('p', { class: 'muted' }, store.description) : null,
    ),
    reviewsBox,
    rollbackPanel(store, reviews, () => refresh().catch(() => undefined)),
    versionsBox,
  );
  return undefined;
}
