// The auditor's pages (S9, I1): the trail with filters and paging, verification shown plainly,
// CSV of what is on screen, and the alerts.
import {h, append, clear, field, table, saveBlob} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, action, personCell, personName, currentUser} from '../ui.js';
import {has} from '../roles.js';
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

// The alerts (S8, S9, C4, S11): filters by state, kind and account, paging by the server's
// cursor; the security administrator acknowledges with a note, the security administrator or
// the auditor closes with a finding (the server decides: policy actions acknowledge_alert,
// close_alert). An alert's audit entries open in the trail for the auditor.
const ALERT_KINDS = ['copy_lost', 'notes_lost', 'handover_overdue', 'customer_watch', 'login_spraying',
                     'probing', 'area_entry_refused', 'escort_left_first'];
const ALERT_STATES = ['open', 'acknowledged', 'closed'];

function alertHandling(a, people) {
  const lines = [];
  if (a.acknowledged_at) {
    lines.push(h('div', {class: 'alert-ack'}, t('alerts.acknowledged_by', {who: personName(a.acknowledged_by, people),
                                                                        at: formatTime(a.acknowledged_at)}),
                 a.note ? h('div', {class: 'wrap small'}, a.note) : null));
  }
  if (a.closed_at) {
    lines.push(h('div', {class: 'alert-closed'}, t('alerts.closed_by', {who: personName(a.closed_by, people),
                                                                    at: formatTime(a.closed_at)}),
                 a.finding ? h('div', {class: 'wrap small'}, a.finding) : null));
  }
  return lines.length ? lines : '—';
}

// The buttons this reader may use on this alert: acknowledge (secadmin, open alerts), close
// (secadmin or auditor, until closed). Each opens its own text box.
function alertActions(a, reload) {
  const me = currentUser();
  const out = h('div', {'aria-live': 'polite'});
  const form = (verb, field_, labelKey, buttonKey) => {
    const text = h('textarea', {class: `alert-${verb}-text`, rows: 2, maxlength: 4000,
                                'aria-label': t(labelKey)});
    const send = action(h('button', {type: 'button', class: `primary alert-${verb}-send`}, t(buttonKey)), out, async () => {
      if (!text.value.trim()) throw {code: `alert_${field_}_missing`};
      await api.post(`/alerts/${encodeURIComponent(a.id)}/${verb}`, {[field_]: text.value.trim()});
      reload();
    });
    const box = h('div', {class: 'alert-form', hidden: true}, text, send);
    const open = h('button', {type: 'button', class: `alert-${verb}`}, t(buttonKey));
    open.addEventListener('click', () => {
      box.hidden = !box.hidden;
      if (!box.hidden) text.focus();
    });
    return [open, box];
  };
  const parts = [];
  if (has(me, 'secadmin') && a.state === 'open') parts.push(form('acknowledge', 'note', 'alerts.note', 'alerts.acknowledge'));
  if ((has(me, 'secadmin') || has(me, 'auditor')) && a.state !== 'closed') {
    parts.push(form('close', 'finding', 'alerts.finding', 'alerts.close'));
  }
  return parts.length ? h('div', {class: 'alert-actions'}, parts, out) : null;
}

// The audit entries that raised the alert, each a link into the trail (auditor only).
function alertSeqs(a) {
  const seqs = a.audit_seqs || [];
  if (!seqs.length) return '—';
  if (!has(currentUser(), 'auditor')) return seqs.join(', ');
  return seqs.map((seq, i) => [i ? ', ' : '', h('a', {href: `#/audit/${seq}`, class: 'alert-seq'}, `#${seq}`)]);
}

function alertFilters(onChange) {
  const state = h('select', {id: 'alerts-state'}, h('option', {value: ''}, t('alerts.any')),
                  ALERT_STATES.map((s) => h('option', {value: s, selected: s === 'open'}, label('alert_state', s))));
  const kind = h('select', {id: 'alerts-kind'}, h('option', {value: ''}, t('alerts.any')),
                 ALERT_KINDS.map((k) => h('option', {value: k}, label('alert', k))));
  const account = h('input', {id: 'alerts-account', autocomplete: 'off', maxlength: 64});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'alerts-search'}, t('audit.search'));
  const form = h('form', {class: 'card', id: 'alerts-form'}, h('h2', {}, t('audit.filters')),
                 h('div', {class: 'grid'}, field(t('alerts.state'), state), field(t('alerts.type'), kind),
                   field(t('alerts.account'), account, t('alerts.account_hint'))), submit);
  const values = () => Object.fromEntries([['state', state.value], ['kind', kind.value], ['account', account.value.trim()]]
                                              .filter(([, v]) => v));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    onChange(values());
  });
  return {form, values};
}

export async function renderAlerts(main) {
  const docs = await documentIndex();
  // A document by title where the reader may know it, else the alert's own target.
  const about = (a) => (docs.get(a.document_id) ? docs.get(a.document_id).title : (a.target || a.document_id || ''));
  const results = h('div', {id: 'alerts-results', 'aria-live': 'polite'});
  let items = [];
  let people = {};
  let cursor = null;
  let query = {};
  const more = h('button', {type: 'button', id: 'alerts-more'}, t('audit.more'));
  const moreOut = h('div', {'aria-live': 'polite'});
  const draw = () => {
    clear(results);
    if (!items.length) {
      results.append(notice(t('alerts.none')));
    } else {
      results.append(table([t('alerts.time'), t('alerts.type'), t('alerts.target'), t('alerts.detail'),
                            t('alerts.raised_by'), t('alerts.state'), t('alerts.handling'), t('alerts.seqs'),
                            t('req.actions')],
                           items.map((a) => h('tr', {class: `alert-row alert-${a.state}`, dataset: {alert: a.id, kind: a.type}},
                                              h('td', {}, formatTime(a.time)), h('td', {}, label('alert', a.type)),
                                              h('td', {class: 'wrap'}, about(a), a.serial ? h('div', {class: 'mono small'}, a.serial) : null),
                                              h('td', {class: 'wrap'}, a.detail || ''),
                                              h('td', {}, a.raised_by ? personCell(a.raised_by, people) : '—'),
                                              h('td', {}, h('span', {class: `status alert-state-${a.state}`}, label('alert_state', a.state))),
                                              h('td', {class: 'wrap'}, alertHandling(a, people)),
                                              h('td', {}, alertSeqs(a)),
                                              h('td', {}, alertActions(a, () => load(null)))))));
    }
    if (cursor) results.append(h('div', {class: 'actions'}, more), moreOut);
  };
  let latest = 0;  // a slower earlier answer never overwrites a later one
  const load = async (next) => {
    const mine = ++latest;
    const res = await api.get('/alerts', {...query, cursor: next, limit: 100});
    if (mine !== latest) return;
    items = next ? items.concat(res.items) : res.items;
    people = next ? {...people, ...res.people} : (res.people || {});
    cursor = res.next_cursor;
    draw();
  };
  action(more, moreOut, () => load(cursor));
  const filterOut = h('div', {'aria-live': 'polite'});
  const filters = alertFilters(async (values) => {
    query = values;
    clear(filterOut);
    try {
      await load(null);
    } catch (err) {
      filterOut.append(errorBox(err));
    }
  });
  query = filters.values();
  append(main, [pageTitle(t('alerts.heading')), filters.form, filterOut, results]);
  await load(null);
}
