// The review log: every recorded review action, newest first.
import { listAll } from '../api.js';
import { h, mount, notice, section } from '../dom.js';
import { reviewsTable } from './actions.js';

export async function reviewsView(main, { isCurrent }) {
  const data = await listAll('/v1/reviews', { limit: 100 });
  if (!isCurrent()) return;
  mount(main, section('Review log', h('p', { class: 'muted' }, `${data.length} recorded review action(s), newest first.`), data.length ? reviewsTable(data) : notice('No review action yet.')));
  return undefined;
}
