// The auditor's pages (S9, I1): the trail with filters and paging, verification shown plainly,
// CSV of what is on screen, and the alerts.
import {h, clear, field, table, saveBlob} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, action, shortId} from '../ui.js';

const FILTERS = ['actor', 'action', 'document_id', 'target', 'from', 'to'];

function csvCell(value) {
  let s = value === null || value === undefined ? '' : (typeof value === 'object' ? JSON.stringify(value) : String(value));
  if (/^[=+\-@]/.test(s)) s = `'${s}`;  // never a formula in a spreadsheet
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function entriesCsv(entries) {
  const cols = ['seq', 'time', 'actor', 'action', 'target', 'decision', 'rule', 'detail', 'hash'];
  const lines = [cols.join(','), ...entries.map((e) => cols.map((c) => csvCell(e[c])).join(','))];
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

export async function renderAudit(main) {
  const inputs = Object.fromEntries(FILTERS.map((f) => [f, h('input', {id: `audit-${f}`, autocomplete: 'off'})]));
  const results = h('div', {id: 'audit-results', 'aria-live': 'polite'});
  let entries = [];
  let cursor = null;
  let filters = {};
  const more = h('button', {type: 'button', id: 'audit-more'}, t('audit.more'));
  const csv = h('button', {type: 'button', id: 'audit-csv'}, t('audit.csv'));
  csv.addEventListener('click', () => saveBlob(entriesCsv(entries), 'audit.csv'));
  const draw = () => {
    clear(results);
    if (!entries.length) return results.append(notice(t('audit.none')));
    results.append(h('p', {class: 'muted'}, t('audit.count', {n: entries.length})),
                   table([t('audit.seq'), t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.target'),
                          t('audit.decision'), t('audit.rule'), t('audit.detail')],
                         entries.map((e) => h('tr', {class: `decision-${e.decision}`, dataset: {action: e.action}},
                                              h('td', {}, String(e.seq)), h('td', {}, formatTime(e.time)),
                                              h('td', {class: 'mono', title: e.actor}, e.actor.length > 12 ? shortId(e.actor) : e.actor),
                                              h('td', {class: 'mono'}, e.action), h('td', {class: 'mono wrap'}, e.target),
                                              h('td', {}, label('decision', e.decision)), h('td', {}, e.rule),
                                              h('td', {class: 'mono wrap small'}, JSON.stringify(e.detail ?? {}))))),
                   h('div', {class: 'actions'}, cursor ? more : null, csv));
  };
  const load = async (next) => {
    const res = await api.get('/audit', {...filters, cursor: next, limit: 100});
    entries = next ? entries.concat(res.items) : res.items;
    cursor = res.next_cursor;
    draw();
  };
  const out = h('div', {'aria-live': 'polite'});
  action(more, out, () => load(cursor));
  const submit = h('button', {type: 'submit', class: 'primary', id: 'audit-search'}, t('audit.search'));
  const form = h('form', {class: 'card', id: 'audit-form'}, h('h2', {}, t('audit.filters')),
                 h('div', {class: 'grid'}, FILTERS.map((f) => field(t(`audit.f.${f}`), inputs[f]))), submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    filters = Object.fromEntries(FILTERS.map((f) => [f, inputs[f].value.trim()]).filter(([, v]) => v));
    submit.disabled = true;
    try {
      await load(null);
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  main.append(pageTitle(t('audit.heading')), verifyPanel(), form, results);
  await load(null);
}

export async function renderAlerts(main) {
  const res = await api.get('/alerts', {limit: 200});
  main.append(pageTitle(t('alerts.heading')));
  if (!res.items.length) return main.append(notice(t('alerts.none')));
  main.append(table([t('alerts.time'), t('alerts.type'), t('alerts.target'), t('alerts.detail'), t('copies.serial')],
                    res.items.map((a) => h('tr', {},
                                           h('td', {}, formatTime(a.time)), h('td', {}, label('alert', a.type)),
                                           h('td', {class: 'mono wrap'}, a.target || a.document_id || ''),
                                           h('td', {class: 'wrap'}, a.detail || ''), h('td', {class: 'mono'}, a.serial || '')))));
}
