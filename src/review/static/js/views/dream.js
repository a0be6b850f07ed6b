// One dream: inputs, findings per batch, grader evaluations, screening, report, and the
// approve/reject actions. Polls while the dream runs.
import { api } from '../api.js';
import { badge, h, mount, notice, num, section, table, time } from '../dom.js';
import { evidenceItem, sessionHref } from '../evidence.js';
import { progressBar, usageText } from './dreams.js';
import { approvePanel } from './actions.js';
import { dreamQuarantine, quarantineItem } from './quarantine.js';

const POLL_MS = 2000;

function kindChips(byKind) {
  const kinds = Object.keys(byKind).sort();
  if (kinds.length === 0) return h('span', { class: 'muted' }, '—');
  return kinds.map((k) => h('span', { class: `chip chip-${k}` }, `${k} ${byKind[k]}`));
}

function findingItem(f) {
  return h(
    'li',
    { class: 'finding' },
    h('div', { class: 'finding-head' }, badge(f.kind), ' ', h('strong', {}, f.title), h('span', { class: 'muted' }, ` · confidence ${f.confidence.toFixed(2)}`)),
    f.body ? h('p', { class: 'finding-body' }, f.body) : null,
    h('ul', { class: 'evidence-list' }, f.evidence.map(evidenceItem)),
  );
}

function batchRow(dreamId, b) {
  const body = h('div', { class: 'batch-findings' });
  const details = h(
    'details',
    { class: 'batch', dataset: { batch: b.id } },
    h(
      'summary',
      {},
      h('span', { class: 'mono' }, b.id),
      ' ',
      b.done ? badge('done', 'completed') : badge('pending'),
      h('span', { class: 'muted' }, ` ${b.session_ids.length} session(s) · ${b.findings} finding(s) `),
      kindChips(b.by_kind),
      b.warnings.length ? h('span', { class: 'warn' }, ` ${b.warnings.length} warning(s)`) : null,
    ),
    body,
  );
  // Findings are fetched when a batch is opened: a big dream has thousands of them.
  details.addEventListener('toggle', async () => {
    if (!details.open || body.dataset.loaded) return;
    body.dataset.loaded = '1';
    mount(body, notice('Loading findings…'));
    try {
      const f = await api(`/v1/review/dreams/${dreamId}/batches/${b.id}`);
      mount(
        body,
        f.warnings.length ? h('ul', { class: 'warnings' }, f.warnings.map((w) => h('li', {}, w.session_id ? `${w.session_id}: ` : '', w.message))) : null,
        h('ul', { class: 'findings' }, f.findings.map(findingItem)),
      );
    } catch (e) {
      mount(body, notice(e.message, 'error'));
    }
  });
  return details;
}

function evaluationCard(e) {
  const rows = e.criteria.map((c) =>
    h(
      'tr',
      { dataset: { criterion: c.id } },
      h('td', {}, c.title),
      h('td', { class: 'mono' }, c.check ?? '—'),
      h('td', {}, badge(c.status.replace('_', ' '), c.status)),
      h(
        'td',
        {},
        c.explanation,
        c.gaps.length
          ? h('ul', { class: 'gaps' }, c.gaps.map((g) => h('li', {}, h('span', { class: 'mono' }, g.memory_path), ': ', g.problem, h('span', { class: 'muted' }, ` (→ ${g.action})`))))
          : null,
      ),
    ),
  );
  return h(
    'div',
    { class: 'evaluation', dataset: { iteration: e.iteration } },
    h('h3', {}, `Evaluation ${e.iteration} `, badge(e.result.replaceAll('_', ' '), e.result)),
    h('p', {}, e.explanation),
    table(['criterion', 'check', 'status', 'why / gaps'], rows, { class: 'criteria' }),
  );
}

function inputsCard(d) {
  const dream = d.dream;
  const store = d.input_store;
  return section(
    'Inputs',
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'input store'),
      h('dd', {}, h('a', { href: `#/stores/${store.id}/versions`, class: 'mono' }, store.id), store.name ? ` · ${store.name}` : '', store.missing ? h('span', { class: 'warn' }, ` (${store.missing})`) : null),
      h('dt', {}, 'output store'),
      h('dd', {}, d.output_store_ids.length ? d.output_store_ids.map((id) => h('a', { href: `#/stores/${id}/versions`, class: 'mono' }, id)) : h('span', { class: 'muted' }, 'none written'), ` (${dream.output_behavior.type})`),
      h('dt', {}, 'instructions'),
      h('dd', {}, dream.instructions ?? h('span', { class: 'muted' }, 'none')),
      d.config ? [h('dt', {}, 'run'), h('dd', {}, `${d.config.engine} engine · ${d.config.strategy} · rubric ${d.config.rubric_source} · max ${d.config.max_iterations} iteration(s)`)] : null,
    ),
    table(
      ['session', 'title', 'kind', 'format', 'lines'],
      d.sessions.map((s) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: sessionHref(s.id), class: 'mono' }, s.id)),
          h('td', {}, s.title ?? h('span', { class: 'warn' }, s.missing ?? 'unreadable')),
          h('td', {}, s.kind ?? '—'),
          h('td', {}, s.format ?? '—'),
          h('td', { class: 'num' }, num(s.line_count)),
        ),
      ),
      { class: 'sessions' },
    ),
  );
}

/** Counts from screening.json, then each quarantined write with its flags (read from the quarantine). */
function screeningCard(s, quarantined) {
  if (!s || typeof s !== 'object') return null;
  return section(
    'Screening',
    h('p', { id: 'screening-summary' }, `${num(s.memories)} memories screened, ${num(s.written)} written, ${num(s.quarantined)} quarantined, ${num(s.redactions)} secret(s) redacted at write time.`),
    quarantined.length
      ? [
          h('p', { class: 'muted' }, 'Quarantined writes were never stored; open one for its refused content and the session lines it cited.'),
          h('ul', { class: 'quarantine', id: 'dream-quarantine' }, quarantined.map(quarantineItem)),
        ]
      : null,
  );
}

export async function dreamView(main, { id, isCurrent }) {
  let timer = null;
  const load = async () => {
    const d = await api(`/v1/review/dreams/${id}`);
    // screening.json names the quarantined entries; their flags live in the quarantine itself.
    const quarantined = d.screening?.quarantined > 0 ? await dreamQuarantine(id) : [];
    if (!isCurrent()) return;
    const dream = d.dream;
    const live = dream.status === 'pending' || dream.status === 'running';
    mount(
      main,
      h(
        'section',
        { class: 'card dream-head' },
        h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Dreams'), ' / ', h('span', { class: 'mono' }, dream.id)),
        h('h1', {}, 'Dream ', h('span', { class: 'mono' }, dream.id), ' ', badge(dream.status)),
        h('div', { class: 'head-row' }, progressBar(d.progress, dream.status), h('span', {}, usageText(dream.usage)), h('span', {}, 'model ', dream.model.id), h('span', {}, 'created ', time(dream.created_at)), dream.ended_at ? h('span', {}, 'ended ', time(dream.ended_at)) : null),
        dream.error ? notice(`${dream.error.type}: ${dream.error.message}`, 'error') : null,
        h('p', { class: 'head-links' }, h('a', { href: `#/dreams/${dream.id}/diff`, class: 'btn btn-primary', id: 'open-diff' }, 'Review the diff'), live ? h('span', { class: 'muted' }, ' Refreshing while the dream runs.') : null),
      ),
      inputsCard(d),
      section('Findings per batch', d.batches.length ? d.batches.map((b) => batchRow(dream.id, b)) : notice(live ? 'Planning…' : 'No batches were planned.')),
      section('Grader evaluations', d.evaluations.length ? d.evaluations.map(evaluationCard) : notice(live ? 'Not graded yet.' : 'No evaluation was written.')),
      approvePanel(d),
      screeningCard(d.screening, quarantined),
      d.report ? section('Report', h('details', { class: 'report' }, h('summary', {}, 'report.md'), h('pre', {}, d.report))) : null,
    );
    timer = live ? setTimeout(() => load().catch(() => undefined), POLL_MS) : null;
  };
  await load();
  return () => timer && clearTimeout(timer);
}
