// The review page: a hash router over a handful of views. Views are async functions that fill
// `main` and may return a cleanup (to stop polling) that runs when the reviewer navigates away.
import { api, apiKey, forgetApiKey, setApiKey, whenUnauthorized } from './api.js';
import { h, mount, notice } from './dom.js';
import { dreamsView } from './views/dreams.js';
import { dreamView } from './views/dream.js';
import { diffView } from './views/diff.js';
import { sessionView } from './views/session.js';
import { versionsView } from './views/versions.js';
import { reviewsView } from './views/reviews.js';
import { quarantineListView, quarantineView } from './views/quarantine.js';

const ROUTES = [
  [/^#?\/?$/, () => dreamsView],
  [/^#\/dreams$/, () => dreamsView],
  [/^#\/dreams\/(drm_[A-Za-z0-9]+)$/, () => dreamView],
  [/^#\/dreams\/(drm_[A-Za-z0-9]+)\/diff$/, () => diffView],
  [/^#\/sessions\/(sesn_[A-Za-z0-9]+)$/, () => sessionView],
  [/^#\/stores\/(memstore_[A-Za-z0-9]+)\/versions$/, () => versionsView],
  [/^#\/reviews$/, () => reviewsView],
  [/^#\/quarantine$/, () => quarantineListView],
  [/^#\/quarantine\/(qrn_[A-Za-z0-9]+)$/, () => quarantineView],
];

const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

function parseHash() {
  const [path, query = ''] = location.hash.split('?');
  return { path: path || '#/', query: new URLSearchParams(query) };
}

async function render() {
  if (cleanup) cleanup();
  cleanup = null;
  const mine = ++generation;
  if (!apiKey()) return askForKey();
  const { path, query } = parseHash();
  for (const [re, view] of ROUTES) {
    const m = re.exec(path);
    if (!m) continue;
    mount(main, notice('Loading…'));
    try {
      const done = await view()(main, { id: m[1], query, isCurrent: () => mine === generation });
      if (mine === generation) cleanup = done ?? null;
      else if (done) done();
    } catch (e) {
      if (mine === generation && e.status !== 401) mount(main, notice(`Could not load this view: ${e.message}`, 'error'));
    }
    return;
  }
  mount(main, notice(`No such view: ${path}`, 'error'), h('p', {}, h('a', { href: '#/' }, 'Back to the dreams')));
}

/** The key is asked once per tab and checked against the server before it is kept. */
function askForKey(message) {
  const input = h('input', { type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'off', required: true, placeholder: 'x-api-key' });
  const error = message ? notice(message, 'error') : null;
  const form = h(
    'form',
    { class: 'card key-form', id: 'key-form' },
    h('h2', {}, 'API key'),
    h('p', { class: 'muted' }, 'The key `dream serve` printed on its first start (or one from DREAM_API_KEYS). It is kept in this tab only.'),
    error,
    h('label', { for: 'api-key' }, 'Key'),
    input,
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Open the review page'),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    setApiKey(input.value.trim());
    try {
      await api('/v1/review/dreams?limit=1');
      render();
    } catch (e) {
      forgetApiKey();
      askForKey(e.status === 401 ? 'That key was refused.' : `The server did not answer: ${e.message}`);
    }
  });
  mount(main, form);
  input.focus();
}

whenUnauthorized(() => {
  forgetApiKey();
  askForKey('The server refused the key; enter it again.');
});

document.getElementById('forget-key').addEventListener('click', () => {
  forgetApiKey();
  render();
});
window.addEventListener('hashchange', render);
render();
