// Documents: the list (search by title among those you may know of), one document with its
// marking banner (S5), reading in the page (a fingerprinted view), download, and requests for
// access, a copy, a print or an excerpt (S6, S7).
import {h, append, clear, field, table, saveBlob} from '../dom.js';
import * as api from '../api.js';
import {t, label, levelName, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, setMarking, setMarkingForLevels, action, link, currentUser} from '../ui.js';
import {newDocumentForm, newVersionForm} from './upload.js';
import {requestLimits, categoryLabel} from '../policy.js';
import {mayCreateDocuments} from '../roles.js';

let titleCache = null;  // id -> document, for pages that name documents; dropped at logout
api.onSessionEnded(() => (titleCache = null));

async function listAll(limit = 5) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < limit; page++) {
    const res = await api.get('/documents', {limit: 200, cursor});
    items.push(...res.items);
    if (!res.next_cursor || res.items.length === 0) break;
    cursor = res.next_cursor;
  }
  return items;
}

export async function documentIndex() {
  if (!titleCache) {
    titleCache = new Map();
    for (const d of await listAll()) titleCache.set(d.id, d);
  }
  return titleCache;
}

export function markingBadge(doc) {
  return h('span', {class: `badge level-${doc.level}`}, doc.marking);
}

export async function renderDocuments(main) {
  const docs = await listAll();
  titleCache = new Map(docs.map((d) => [d.id, d]));
  const search = h('input', {type: 'search', id: 'doc-search', autocomplete: 'off'});
  const body = h('div');
  const draw = () => {
    const term = search.value.trim().toLowerCase();
    const shown = docs.filter((d) => !term || d.title.toLowerCase().includes(term));
    setMarkingForLevels(main, shown.map((d) => d.level));
    clear(body);
    if (!shown.length) return body.append(notice(t('docs.none')));
    body.append(table(
        [t('docs.title_col'), t('docs.marking'), t('docs.categories'), t('docs.version'), t('docs.created')],
        shown.map((d) => h('tr', {},
                           h('td', {}, link(`documents/${d.id}`,
                                            d.state === 'destroyed' ? t('doc.destroyed') : d.title)),
                           h('td', {}, markingBadge(d)),
                           h('td', {}, d.categories.map((c) => categoryLabel(c)).join('、')),
                           h('td', {}, d.version ? String(d.version) : t('docs.no_content')),
                           h('td', {}, formatTime(d.created_at))))));
  };
  search.addEventListener('input', draw);
  append(main, [pageTitle(t('docs.heading')),
              mayCreateDocuments(currentUser()) ? h('div', {class: 'actions'}, newDocumentForm()) : null,
              field(t('docs.search'), search, t('docs.search_hint')), body]);
  draw();
}

const TEXT = /^text\//;
const SELECTORS = /[\uFE04-\uFE07]/gu;  // the view's invisible fingerprint (fingerprint.md)

// Code-point offsets of the selection inside the visible text of `pre`.
function selectionRange(pre) {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!pre.contains(range.startContainer) || !pre.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(pre, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const count = (s) => [...s.replace(SELECTORS, '')].length;
  const from = count(before.toString());
  return {from, to: from + count(range.toString())};
}

// S5, H3: a destroyed document keeps its facts and its signed tombstone, nothing else.
function renderDestroyed(main, doc) {
  main.append(pageTitle(`${t('doc.destroyed')} · ${doc.id}`),
              h('div', {class: 'notice', role: 'status', id: 'doc-destroyed'},
                t('doc.destroyed_note', {at: formatTime(doc.destroyed_at)})),
              h('dl', {class: 'facts'},
                h('dt', {}, t('docs.marking')), h('dd', {}, markingBadge(doc)),
                h('dt', {}, t('docs.level')), h('dd', {}, levelName(doc.level)),
                h('dt', {}, t('docs.created')), h('dd', {}, formatTime(doc.created_at))));
}

// S5, H3: the custodian asks for the destruction (the security administrator approves it)
// and then carries it out; the answer lists the copies to recall.
function destroyForm(doc) {
  const reason = h('textarea', {id: 'destroy-reason', rows: 2, maxlength: 2000});
  const ask = h('button', {type: 'button', id: 'destroy-ask'}, t('doc.destroy_ask'));
  const run = h('button', {type: 'button', id: 'destroy-run', class: 'danger'}, t('doc.destroy_run'));
  const out = h('div', {id: 'destroy-result', 'aria-live': 'polite'});
  action(ask, out, async () => {
    if (!reason.value.trim()) throw {code: 'reason_missing'};
    const created = await api.post('/requests',
                                   {type: 'destroy', document_id: doc.id, reason: reason.value.trim()});
    out.append(h('div', {class: 'notice', role: 'status'}, t('req.created'), ' ',
                 link(`requests/${created.id}`, t('req.open'))));
  });
  action(run, out, async () => {
    const done = await api.post(`/documents/${encodeURIComponent(doc.id)}/destroy`, {});
    titleCache = null;
    if (!done.recall.length) return out.append(notice(t('doc.destroy_no_recall')));
    out.append(notice(t('doc.destroy_done')),
               h('ul', {id: 'destroy-recall'},
                 done.recall.map((c) => h('li', {}, h('code', {}, c.serial), ` · ${c.holder_name}`))));
  });
  return h('section', {class: 'card', id: 'destroy-form'},
           h('h2', {}, t('doc.destroy_heading')), h('p', {class: 'muted'}, t('doc.destroy_hint')),
           field(t('req.reason'), reason), h('div', {class: 'actions'}, ask, run), out);
}

export async function renderDocument(main, id) {
  const doc = await api.get(`/documents/${encodeURIComponent(id)}`);
  setMarking(main, doc.marking, doc.level);
  if (doc.state === 'destroyed') return renderDestroyed(main, doc);
  const viewOut = h('div', {id: 'doc-view', 'aria-live': 'polite'});
  const readButton = h('button', {type: 'button', id: 'doc-read', class: 'primary'}, t('doc.read'));
  const downloadButton = h('button', {type: 'button', id: 'doc-download'}, t('doc.download'));
  let pre = null;
  action(readButton, viewOut, async () => {
    const res = await api.send('GET', `/documents/${encodeURIComponent(id)}/content`);
    const type = res.headers.get('Content-Type') || '';
    if (!TEXT.test(type)) {
      viewOut.append(notice(t('doc.not_text')));
      return;
    }
    pre = h('pre', {class: 'doc-text', id: 'doc-text', tabindex: '0'}, await res.text());
    viewOut.append(h('p', {class: 'muted'}, t('doc.view_note')), pre);
  });
  action(downloadButton, viewOut, async () => {
    const res = await api.send('GET', `/documents/${encodeURIComponent(id)}/content`);
    const ext = TEXT.test(res.headers.get('Content-Type') || '') ? 'txt' : 'bin';
    saveBlob(await res.blob(), `${doc.id}-v${doc.version}.${ext}`);
    viewOut.append(notice(t('doc.downloaded')));
  });
  const facts = h('dl', {class: 'facts'},
                  h('dt', {}, t('docs.marking')), h('dd', {}, markingBadge(doc)),
                  h('dt', {}, t('docs.level')), h('dd', {}, levelName(doc.level)),
                  h('dt', {}, t('docs.categories')),
                  h('dd', {}, doc.categories.map((c) => categoryLabel(c)).join('、') || t('me.none')),
                  h('dt', {}, t('docs.version')), h('dd', {}, doc.version ? String(doc.version) : t('docs.no_content')),
                  h('dt', {}, t('docs.description')), h('dd', {}, doc.description || ''),
                  h('dt', {}, t('docs.created')), h('dd', {}, formatTime(doc.created_at)),
                  h('dt', {}, t('doc.retain_until')), h('dd', {}, formatTime(doc.retain_until)),
                  doc.legal_hold ? [h('dt', {}, t('doc.legal_hold')),
                                    h('dd', {id: 'doc-hold'}, t('doc.legal_hold_on'))] : null);
  main.append(pageTitle(doc.title), facts,
              h('div', {class: 'actions'}, doc.version ? [readButton, downloadButton] : null),
              viewOut, requestForm(doc, () => pre));
  // S5: the custodian or the author uploads new versions.
  const me = currentUser();
  if (doc.custodian_id === me.id || doc.author_id === me.id) main.append(newVersionForm(doc));
  if (doc.custodian_id === me.id) main.append(destroyForm(doc));
}

function requestForm(doc, getPre) {
  const type = h('select', {id: 'req-type'},
                 ['access', 'copy', 'print', 'excerpt'].map((k) => h('option', {value: k}, t(`req.type.${k}`))));
  const reason = h('textarea', {id: 'req-reason', rows: 3, maxlength: 2000, required: true});
  // The policy's limits for this type at the document's level (S6, S7): the form offers no more.
  const copies = h('input', {id: 'req-copies', type: 'number', min: 1, value: '1'});
  const days = h('input', {id: 'req-days', type: 'number', min: 1, value: '7'});
  const daysHint = h('small', {class: 'hint'});
  const from = h('input', {id: 'req-from', type: 'number', min: 0, value: '0'});
  const to = h('input', {id: 'req-to', type: 'number', min: 1, value: '1'});
  const takeSelection = h('button', {type: 'button', id: 'req-selection'}, t('req.use_selection'));
  const copiesField = field(t('req.copies'), copies);
  const excerptFields = h('div', {class: 'row'}, field(t('req.from'), from), field(t('req.to'), to),
                          takeSelection);
  const out = h('div', {id: 'req-result', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'req-submit'}, t('req.submit'));
  const sync = () => {
    copiesField.hidden = type.value === 'access';
    excerptFields.hidden = type.value !== 'excerpt';
    const limits = requestLimits(type.value, doc.level);
    days.max = String(limits.max_days);
    if (Number(days.value) > limits.max_days) days.value = String(limits.max_days);
    copies.max = String(limits.max_copies ?? 1);
    if (Number(copies.value) > (limits.max_copies ?? 1)) copies.value = String(limits.max_copies ?? 1);
    clear(daysHint);
    daysHint.append(t('req.days_limit', {days: limits.max_days}));
  };
  type.addEventListener('change', sync);
  takeSelection.addEventListener('click', () => {
    const pre = getPre();
    const range = pre && selectionRange(pre);
    clear(out);
    if (!range) return out.append(notice(t('req.no_selection')));
    from.value = String(range.from);
    to.value = String(range.to);
  });
  const form = h('form', {class: 'card', id: 'request-form'},
                 h('h2', {}, t('req.heading')),
                 field(t('req.type'), type), field(t('req.reason'), reason, t('req.reason_hint')),
                 copiesField, field(t('req.days'), days, t('req.days_hint')), daysHint, excerptFields, submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!reason.value.trim()) return out.append(errorBox({code: 'reason_missing'}));
    const body = {type: type.value, document_id: doc.id, reason: reason.value.trim(),
                  days: Number(days.value)};
    if (type.value !== 'access') body.copies = Number(copies.value);
    if (type.value === 'excerpt') body.excerpt = {from: Number(from.value), to: Number(to.value)};
    submit.disabled = true;
    try {
      const created = await api.post('/requests', body);
      reason.value = '';
      out.append(h('div', {class: 'notice', role: 'status'}, t('req.created'), ' ',
                   link(`requests/${created.id}`, t('req.open'))));
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  sync();
  return form;
}
