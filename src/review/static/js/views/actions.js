// Review actions (approve, reject, promote, rollback) through /v1/review/*: every action shows
// the server's exact preview first and is applied only with the preview's expected_state, so
// what is confirmed is what happens (a store that moved in between answers 409 review_stale).
import { api, listAll, qs, reviewerName, setReviewerName } from '../api.js';
import { badge, h, mount, notice, section, table, time } from '../dom.js';

function unifiedDiff(text) {
  return h(
    'pre',
    { class: 'unified' },
    text.split('\n').map((l) => {
      const cls = l.startsWith('+++') || l.startsWith('---') ? 'u-file' : l.startsWith('+') ? 'u-add' : l.startsWith('-') ? 'u-del' : l.startsWith('@@') ? 'u-hunk' : null;
      return h('span', { class: cls }, l);
    }),
  );
}

function previewBlock(p) {
  return h(
    'div',
    { class: 'preview', id: `preview-${p.action}` },
    h('p', {}, h('strong', {}, 'Preview: '), p.effect),
    h('p', {}, badge(`${p.summary.added} added`, 'added'), ' ', badge(`${p.summary.changed} changed`, 'changed'), ' ', badge(`${p.summary.removed} removed`, 'removed'), ' in ', h('span', { class: 'mono' }, p.memory_store_id), ` (${p.tier} tier)`),
    p.changes.length
      ? h('details', { class: 'preview-changes', open: p.changes.length <= 5 }, h('summary', {}, `${p.changes.length} memory change(s)`), p.changes.map((c) => h('div', { class: 'preview-change' }, badge(c.status), ' ', h('span', { class: 'mono' }, c.path), unifiedDiff(c.unified))))
      : h('p', { class: 'muted' }, 'No memory changes: the action is recorded only.'),
  );
}

/** Reviewer + note inputs, shared by every action of one panel. */
function whoFields(prefix) {
  const reviewer = h('input', { type: 'text', name: 'reviewer', id: `${prefix}-reviewer`, required: true, value: reviewerName(), placeholder: 'your name', maxlength: 128 });
  const note = h('textarea', { name: 'note', id: `${prefix}-note`, required: true, rows: 2, placeholder: 'why (recorded with the versions)', maxlength: 4096 });
  const el = h('div', { class: 'who' }, h('label', { for: reviewer.id }, 'Reviewer', reviewer), h('label', { for: note.id }, 'Note', note));
  return { el, read: () => ({ reviewer: reviewer.value.trim(), note: note.value.trim() }) };
}

/**
 * One preview → confirm flow. `params()` gives the action's own fields; the preview is fetched
 * with them and the apply sends the same fields plus reviewer, note and expected_state.
 */
function flow(out, who, action, params, onDone) {
  return async () => {
    const p = params();
    if (!p) return;
    const w = who.read();
    if (!w.reviewer || !w.note) return mount(out, notice('A reviewer name and a note are required: both are recorded with the action.', 'error'));
    setReviewerName(w.reviewer);
    mount(out, notice('Computing the preview…'));
    try {
      const preview = await api(`/v1/review/preview/${action}${qs(p)}`);
      const confirm = h('button', { type: 'button', class: `btn btn-${action === 'reject' || action === 'rollback' ? 'danger' : 'primary'}`, id: `confirm-${action}` }, `Confirm ${action}`);
      const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
      cancel.addEventListener('click', () => mount(out));
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        try {
          const rec = await api(`/v1/review/${action}`, { method: 'POST', body: { ...p, ...w, expected_state: preview.expected_state } });
          mount(
            out,
            h(
              'div',
              { class: 'notice notice-ok', role: 'status', id: `done-${action}` },
              `${action} recorded as review `,
              h('span', { class: 'mono' }, rec.id),
              ` by ${rec.reviewer}: ${rec.version_ids.length} version(s) written. `,
              h('a', { href: `#/stores/${rec.memory_store_id}/versions` }, 'See the versions'),
            ),
          );
          onDone?.(rec);
        } catch (e) {
          confirm.disabled = false;
          mount(out, notice(`${action} refused: ${e.message}`, 'error'));
        }
      });
      mount(out, previewBlock(preview), h('div', { class: 'actions' }, confirm, ' ', cancel));
    } catch (e) {
      mount(out, notice(`No preview: ${e.message}`, 'error'));
    }
  };
}

export function reviewsTable(reviews) {
  return table(
    ['when', 'action', 'reviewer', 'note', 'store', 'changes', 'versions'],
    reviews.map((r) =>
      h(
        'tr',
        { dataset: { review: r.id } },
        h('td', {}, time(r.created_at)),
        h('td', {}, badge(r.action)),
        h('td', {}, h('strong', {}, r.reviewer)),
        h('td', { class: 'note' }, r.note),
        h('td', {}, h('a', { href: `#/stores/${r.memory_store_id}/versions`, class: 'mono' }, r.memory_store_id)),
        h('td', { class: 'num' }, r.changes.length),
        h('td', { class: 'num' }, r.version_ids.length),
      ),
    ),
    { class: 'reviews' },
  );
}

/** Approve or reject a completed dream's output (dream page). */
export function approvePanel(detail) {
  const dream = detail.dream;
  if (dream.status !== 'completed' || detail.output_store_ids.length === 0) return null;
  const out = h('div', { class: 'action-out', id: 'verdict-out' });
  const prior = h('div', {});
  // The verdict so far (the latest approve/reject), refreshed after an action.
  const showPrior = () =>
    listAll('/v1/reviews', { dream_id: dream.id, limit: 100 })
      .then((reviews) => {
        const v = reviews.find((x) => x.action === 'approve' || x.action === 'reject');
        if (v) mount(prior, h('p', { id: 'verdict' }, badge(v.action === 'approve' ? 'approved' : 'rejected', v.action), ` by ${v.reviewer}, `, time(v.created_at), ': ', h('q', {}, v.note)));
      })
      .catch((e) => mount(prior, notice(`Could not read the reviews: ${e.message}`, 'error')));
  showPrior();
  const who = whoFields('verdict');
  const params = () => ({ dream_id: dream.id });
  const approve = h('button', { type: 'button', class: 'btn btn-primary', id: 'approve' }, 'Approve…');
  const reject = h('button', { type: 'button', class: 'btn btn-danger', id: 'reject' }, 'Reject…');
  approve.addEventListener('click', flow(out, who, 'approve', params, showPrior));
  reject.addEventListener('click', flow(out, who, 'reject', params, showPrior));
  return section('Verdict', prior, h('p', { class: 'muted' }, 'Approve or reject this dream’s output store. Both are recorded with your name and note.'), who.el, h('div', { class: 'actions' }, approve, ' ', reject), out);
}

/** Release a quarantined write into its store after all (quarantine entry page). */
export function releasePanel(entry, onDone) {
  if (entry.released) {
    return section('Released', h('p', { id: 'q-released' }, `Released by ${entry.released.reviewer}, `, time(entry.released.at), ' in review ', h('span', { class: 'mono' }, entry.released.review_id), '.'));
  }
  if (!entry.memory_store_id) return null;
  const out = h('div', { class: 'action-out', id: 'release-out' });
  const who = whoFields('release');
  const go = h('button', { type: 'button', class: 'btn btn-danger', id: 'release' }, 'Preview release…');
  go.addEventListener('click', flow(out, who, 'release', () => ({ quarantine_id: entry.id }), onDone));
  return section(
    'Release',
    h('p', { class: 'muted' }, 'If screening was wrong here, write this content into ', h('span', { class: 'mono' }, entry.memory_store_id), ' at its path after all, as a version by you. Nothing is written before you confirm the preview.'),
    who.el,
    h('div', { class: 'actions' }, go),
    out,
  );
}

/** Promote the selected memories, or the whole output store, into a project or org store (diff page). */
export function promotePanel(detail, fromStore, selected) {
  const out = h('div', { class: 'action-out', id: 'promote-out' });
  const target = h('select', { id: 'promote-to', name: 'to' }, h('option', { value: '' }, 'loading tier stores…'));
  listAll('/v1/memory_stores')
    .then((stores) => {
      const trusted = stores.filter((s) => ['org', 'project'].includes(s.metadata?.['dreamwork.tier']));
      mount(target, trusted.length ? trusted.map((s) => h('option', { value: s.id }, `${s.metadata['dreamwork.tier']} · ${s.name} (${s.id})`)) : h('option', { value: '' }, 'no project or org store (dream stores tier sets one)'));
    })
    .catch((e) => mount(target, h('option', { value: '' }, `could not list stores: ${e.message}`)));
  const whole = h('input', { type: 'checkbox', id: 'promote-whole' });
  const who = whoFields('promote');
  const params = () => {
    if (!target.value) return mount(out, notice('Choose a project or org store to promote into.', 'error')) && null;
    const paths = whole.checked ? undefined : selected();
    if (paths && paths.length === 0) return mount(out, notice('Tick the memories to promote below, or promote the whole store.', 'error')) && null;
    return { from: fromStore, to: target.value, paths };
  };
  const go = h('button', { type: 'button', class: 'btn btn-primary', id: 'promote' }, 'Preview promotion…');
  go.addEventListener('click', flow(out, who, 'promote', params));
  return section(
    'Promote',
    h('p', { class: 'muted' }, 'Copy the ticked memories (or the whole output store) into a trusted tier store. Nothing is written before you confirm the preview.'),
    h('div', { class: 'row' }, h('label', { for: 'promote-to' }, 'Into ', target), h('label', { class: 'inline' }, whole, ' the whole store')),
    who.el,
    h('div', { class: 'actions' }, go),
    out,
  );
}

/** Roll a store back to what it was before one of the review actions that wrote it (store page). */
export function rollbackPanel(store, reviews, onDone) {
  const undoable = reviews.filter((r) => r.memory_store_id === store.id && r.version_ids.length > 0);
  if (undoable.length === 0) return null;
  const out = h('div', { class: 'action-out', id: 'rollback-out' });
  const pick = h('select', { id: 'rollback-to' }, undoable.map((r) => h('option', { value: r.id }, `before the ${r.action} by ${r.reviewer} (${r.created_at.slice(0, 19).replace('T', ' ')})`)));
  const who = whoFields('rollback');
  const params = () => ({ store: store.id, to_review: pick.value });
  const go = h('button', { type: 'button', class: 'btn btn-danger', id: 'rollback' }, 'Preview rollback…');
  go.addEventListener('click', flow(out, who, 'rollback', params, onDone));
  return section(
    'Roll back',
    h('p', { class: 'muted' }, 'Restore the store’s memories as they were before a review action; history is kept and the rollback is recorded as new versions (the API’s rollback with to_seq reaches any version).'),
    h('div', { class: 'row' }, h('label', { for: 'rollback-to' }, 'To ', pick)),
    who.el,
    h('div', { class: 'actions' }, go),
    out,
  );
}
