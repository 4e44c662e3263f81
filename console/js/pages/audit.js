// The auditor's pages (S9, I1): the trail with filters and paging, verification shown plainly,
// CSV of what is on screen, and the alerts.
import {h, append, clear, field, table, saveBlob} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, action, personCell} from '../ui.js';
import {documentIndex} from './documents.js';

const FILTERS = ['actor', 'action', 'document_id', 'target', 'from', 'to'];

function csvCell(value) {
  let s = value === null || value === undefined ? '' : (typeof value === 'object' ? JSON.stringify(value) : String(value));
  if (/^[=+\-@]/.test(s)) s = `'${s}`;  // never a formula in a spreadsheet
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function entriesCsv(entries, people) {
  const cols = ['seq', 'time', 'actor', 'actor_name', 'action', 'target', 'decision', 'rule', 'detail', 'hash'];
  const named = (e) => ({...e, actor_name: people[e.actor] ? `${people[e.actor].display_name} (${people[e.actor].username})` : ''});
  const lines = [cols.join(','), ...entries.map(named).map((e) => cols.map((c) => csvCell(e[c])).join(','))];
  return new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], {type: 'text/csv;charset=utf-8'});
}

function verifyPanel() {
  const out = h('div', {id: 'verify-result', 'aria-live': 'polite'});
  const button = action(h('button', {type: 'button', class: 'primary', id: 'verify'}, t('audit.verify')), out,
                        async () => {
                          const r = await api.get('/audit/verify');
                          out.append(r.ok
                              ? h('div', {class: 'verify ok', role: 'status'}, h('strong', {}, t('audit.verify_ok')),
                                  ' ', t('audit.verify_ok_detail', {entries: r.entries, checkpoints: r.checkpoints_verified ?? 0}),
                                  h('div', {class: 'mono small'}, `head ${r.head}`))
                              : h('div', {class: 'verify bad', role: 'alert'}, h('strong', {}, t('audit.verify_bad')),
                                  ' ', t('audit.verify_bad_detail', {seq: r.first_bad_seq, problem: r.problem || ''})));
                        });
  return h('section', {class: 'card'}, h('h2', {}, t('audit.verify_heading')), button, out);
}

// The trail from entry `seq` on (a case's timeline links here): the page starts at that entry
// and marks it.
export async function renderAuditAt(main, seq) {
  const at = Number.parseInt(seq, 10);
  if (!Number.isSafeInteger(at) || at < 1) return main.append(notice(t('err.not_found')));
  return renderAudit(main, at);
}

export async function renderAudit(main, startSeq = null) {
  const inputs = Object.fromEntries(FILTERS.map((f) => [f, h('input', {id: `audit-${f}`, autocomplete: 'off'})]));
  const results = h('div', {id: 'audit-results', 'aria-live': 'polite'});
  let entries = [];
  let people = {};
  let cursor = null;
  let filters = {};
  const first = startSeq ? String(startSeq - 1) : null;  // the cursor is the seq before the page
  const more = h('button', {type: 'button', id: 'audit-more'}, t('audit.more'));
  const csv = h('button', {type: 'button', id: 'audit-csv'}, t('audit.csv'));
  csv.addEventListener('click', () => saveBlob(entriesCsv(entries, people), 'audit.csv'));
  const draw = () => {
    clear(results);
    if (!entries.length) return results.append(notice(t('audit.none')));
    results.append(h('p', {class: 'muted'}, t('audit.count', {n: entries.length})),
                   table([t('audit.seq'), t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.target'),
                          t('audit.decision'), t('audit.rule'), t('audit.detail')],
                         entries.map((e) => h('tr', {class: `decision-${e.decision}${e.seq === startSeq ? ' focus-entry' : ''}`,
                                                     dataset: {action: e.action, seq: e.seq}},
                                              h('td', {}, String(e.seq)), h('td', {}, formatTime(e.time)),
                                              h('td', {}, actorFilter(e.actor)),
                                              h('td', {class: 'mono'}, e.action), h('td', {class: 'mono wrap'}, e.target),
                                              h('td', {}, label('decision', e.decision)), h('td', {}, e.rule),
                                              h('td', {class: 'mono wrap small'}, JSON.stringify(e.detail ?? {}))))),
                   h('div', {class: 'actions'}, cursor ? more : null, csv));
  };
  const load = async (next) => {
    const res = await api.get('/audit', {...filters, cursor: next, limit: 100});
    const appending = next !== first;
    entries = appending ? entries.concat(res.items) : res.items;
    people = appending ? {...people, ...res.people} : (res.people || {});
    cursor = res.next_cursor;
    draw();
  };
  const out = h('div', {'aria-live': 'polite'});
  action(more, out, () => load(cursor));
  // A person in the trail is a button: their entries only (the actor filter takes the id).
  const actorFilter = (id) => {
    if (!people[id]) return personCell(id, people);
    const button = h('button', {type: 'button', class: 'link actor-filter', title: t('audit.by_actor')},
                     personCell(id, people));
    button.addEventListener('click', () => {
      inputs.actor.value = id;
      form.requestSubmit();
    });
    return button;
  };
  const submit = h('button', {type: 'submit', class: 'primary', id: 'audit-search'}, t('audit.search'));
  const form = h('form', {class: 'card', id: 'audit-form'}, h('h2', {}, t('audit.filters')),
                 h('div', {class: 'grid'}, FILTERS.map((f) => field(t(`audit.f.${f}`), inputs[f]))), submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    filters = Object.fromEntries(FILTERS.map((f) => [f, inputs[f].value.trim()]).filter(([, v]) => v));
    submit.disabled = true;
    try {
      await load(first);
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  append(main, [pageTitle(t('audit.heading')), verifyPanel(), form,
                startSeq ? notice(t('audit.from_seq', {seq: startSeq})) : null, results]);
  await load(first);
}

export async function renderAlerts(main) {
  const [res, docs] = await Promise.all([api.get('/alerts', {limit: 200}), documentIndex()]);
  // A document by title where the reader may know it, else the alert's own target.
  const about = (a) => (docs.get(a.document_id) ? docs.get(a.document_id).title : (a.target || a.document_id || ''));
  main.append(pageTitle(t('alerts.heading')));
  if (!res.items.length) return main.append(notice(t('alerts.none')));
  main.append(table([t('alerts.time'), t('alerts.type'), t('alerts.target'), t('alerts.detail'), t('copies.serial')],
                    res.items.map((a) => h('tr', {},
                                           h('td', {}, formatTime(a.time)), h('td', {}, label('alert', a.type)),
                                           h('td', {class: 'wrap'}, about(a)),
                                           h('td', {class: 'wrap'}, a.detail || ''), h('td', {class: 'mono'}, a.serial || '')))));
}
