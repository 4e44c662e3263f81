// Leak investigations (S10): the auditor's cases. The list with a state filter and the form
// that opens a case (documents chosen from a picker); one case with its facts, a drop zone for
// a leaked file (streamed, with progress) and what it traced to, the evidence, the holders of
// copies, the timeline (each event linked to its place in the trail), the signed bundle and
// closing with a finding. Only the auditor is offered these pages (roles.js); to anyone else
// the server answers 404.
import {h, append, clear, field, table, saveBlob} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, action, link, navigate, shortId, personCell} from '../ui.js';
import {documentIndex, markingBadge} from './documents.js';
import {dropZone, sendFile, humanSize} from './upload.js';

const TIMELINE_PAGE = 50;
const MAX_DOCUMENTS = 64;  // API: at most 64 documents per case
// The artifact types the server traces (docs/api.md), by file name when the browser gives none.
const ARTIFACT_TYPES = {txt: 'text/plain; charset=utf-8', csv: 'text/csv; charset=utf-8',
                        pdf: 'application/pdf'};

function contentTypeOf(file) {
  if (file.type === 'application/pdf') return file.type;
  if (file.type === 'text/plain' || file.type === 'text/csv') return `${file.type}; charset=utf-8`;
  const ext = (file.name.match(/\.([A-Za-z0-9]+)$/) || [])[1];
  return ARTIFACT_TYPES[ext && ext.toLowerCase()] || file.type || 'application/octet-stream';
}

function stateBadge(c) {
  return h('span', {class: `status status-case-${c.state}`}, label('case_state', c.state));
}

// A document by title where the auditor may know it (GET /documents gives administrators the
// public ones only: titles of classified documents stay hidden, S5), else by its short id.
function documentName(id, docs) {
  if (!id) return t('req.customers_export');
  const doc = docs.get(id);
  if (doc) return h('span', {}, doc.title, ' ', markingBadge(doc));
  return h('span', {class: 'mono', title: id}, t('inv.doc_by_id', {id: shortId(id)}));
}

// The documents an auditor can name without typing ids: those listed to them, and those that
// every request is about (the auditor reads every request), with who asked for what.
async function documentCandidates() {
  const [docs, requests] = await Promise.all([documentIndex(), api.get('/requests', {limit: 200})]);
  const byId = new Map();
  for (const d of docs.values()) byId.set(d.id, {id: d.id, doc: d, context: []});
  const items = [...requests.items].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  for (const r of items) {
    if (!r.document_id) continue;
    const entry = byId.get(r.document_id) || {id: r.document_id, doc: null, context: []};
    if (entry.context.length < 3) {
      entry.context.push(t('inv.asked', {who: r.requester ? r.requester.display_name : shortId(r.requester_id),
                                         type: label('req.type', r.type), time: formatTime(r.created_at)}));
    }
    byId.set(r.document_id, entry);
  }
  return [...byId.values()];
}

function documentPicker(candidates, docs) {
  const search = h('input', {type: 'search', id: 'case-doc-search', autocomplete: 'off'});
  const boxes = candidates.map((c) => ({c, box: h('input', {type: 'checkbox', class: 'case-doc', value: c.id})}));
  const list = h('div', {class: 'picker', id: 'case-doc-list'});
  const draw = () => {
    const term = search.value.trim().toLowerCase();
    clear(list);
    const shown = boxes.filter(({c}) => !term || c.id.toLowerCase().startsWith(term)
        || (c.doc && c.doc.title.toLowerCase().includes(term)) || c.context.join(' ').toLowerCase().includes(term));
    if (!shown.length) return list.append(h('p', {class: 'muted'}, t('inv.no_candidates')));
    append(list, shown.map(({c, box}) => h('label', {class: 'checkline picker-item', dataset: {document: c.id}},
                                            box, documentName(c.id, docs),
                                            c.context.length ? h('small', {class: 'muted'}, ` — ${c.context.join('；')}`) : null)));
  };
  search.addEventListener('input', draw);
  draw();
  return {el: h('fieldset', {}, h('legend', {}, t('inv.documents')),
                field(t('inv.doc_search'), search, t('inv.doc_search_hint')), list),
          chosen: () => boxes.filter((b) => b.box.checked).map((b) => b.c.id)};
}

function openForm(candidates, docs) {
  const title = h('input', {id: 'case-title', maxlength: 4000, required: true});
  const reason = h('textarea', {id: 'case-reason', rows: 3, maxlength: 4000, required: true});
  const picker = documentPicker(candidates, docs);
  const out = h('div', {id: 'case-open-result', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'case-open'}, t('inv.open'));
  const form = h('form', {class: 'card', id: 'case-form'}, h('h2', {}, t('inv.new')),
                 h('p', {class: 'muted'}, t('inv.new_intro')),
                 field(t('inv.title'), title, t('inv.title_hint')), field(t('inv.reason'), reason),
                 picker.el, submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!title.value.trim()) return out.append(errorBox({code: 'title_missing'}));
    if (!reason.value.trim()) return out.append(errorBox({code: 'reason_missing'}));
    const documentIds = picker.chosen();
    if (documentIds.length > MAX_DOCUMENTS) return out.append(errorBox({code: 'too_many_documents'}));
    submit.disabled = true;
    try {
      const created = await api.post('/investigations', {title: title.value.trim(), reason: reason.value.trim(),
                                                         document_ids: documentIds});
      navigate(`investigations/${created.id}`);
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function renderInvestigations(main) {
  const [candidates, docs] = await Promise.all([documentCandidates(), documentIndex()]);
  const state = h('select', {id: 'case-state'},
                  ['', 'open', 'closed'].map((s) => h('option', {value: s}, s ? label('case_state', s) : t('inv.all'))));
  const list = h('div', {id: 'case-list', 'aria-live': 'polite'});
  const load = async () => {
    clear(list);
    try {
      const res = await api.get('/investigations', {state: state.value, limit: 200});
      const items = res.items.sort((a, b) => (a.opened_at < b.opened_at ? 1 : -1));
      if (!items.length) return list.append(notice(t('inv.none')));
      list.append(table([t('inv.title'), t('inv.state'), t('inv.documents'), t('inv.opened_by'), t('inv.opened_at'),
                         t('inv.closed_at')],
                        items.map((c) => h('tr', {dataset: {case: c.id}},
                                           h('td', {}, link(`investigations/${c.id}`, c.title)),
                                           h('td', {}, stateBadge(c)), h('td', {}, String(c.document_ids.length)),
                                           h('td', {}, personCell(c.opened_by, res.people)),
                                           h('td', {}, formatTime(c.opened_at)),
                                           h('td', {}, c.closed_at ? formatTime(c.closed_at) : '—')))));
    } catch (err) {
      list.append(errorBox(err));
    }
  };
  state.addEventListener('change', load);
  const openButton = h('button', {type: 'button', class: 'primary', id: 'case-new'}, t('inv.new'));
  const form = openForm(candidates, docs);
  form.hidden = true;
  openButton.addEventListener('click', () => {
    form.hidden = false;
    openButton.hidden = true;
    form.querySelector('#case-title').focus();
  });
  main.append(pageTitle(t('inv.heading')), h('p', {class: 'muted'}, t('inv.intro')),
              h('div', {class: 'actions'}, openButton), form,
              h('h2', {}, t('inv.list')), field(t('inv.state_filter'), state), list);
  await load();
}

function whereText(m) {
  if (!m.position) return '—';
  if (m.position.page) return t('inv.page', {page: m.position.page});
  return t('inv.range', {from: m.position.from, to: m.position.to});
}

// What an artifact traced to, said plainly; nothing found is an answer, not an error.
function matchesView(matches, people, docs) {
  if (!matches.length) return h('div', {class: 'notice no-match', role: 'status'}, t('inv.no_fingerprint'));
  return table([t('inv.method'), t('inv.kind'), t('inv.source'), t('req.document'), t('inv.holder'), t('inv.when'),
                t('inv.where'), t('inv.evidence')],
               matches.map((m) => h('tr', {class: 'match', dataset: {serial: m.serial || '', view: m.view_id || ''}},
                                    h('td', {}, label('method', m.method)), h('td', {}, label('trace_kind', m.kind)),
                                    h('td', {class: 'mono'}, m.kind === 'view'
                                        ? [t('inv.view', {id: m.view_id}),
                                           m.audit_seq ? [' · ', link(`audit/${m.audit_seq}`, `#${m.audit_seq}`)] : null]
                                        : m.serial),
                                    h('td', {}, documentName(m.document_id, docs), m.version ? ` · v${m.version}` : ''),
                                    h('td', {class: 'holder'}, m.holder_id ? personCell(m.holder_id, people) : t('inv.unknown')),
                                    h('td', {}, formatTime(m.issued_at || m.viewed_at) || '—'),
                                    h('td', {}, whereText(m)),
                                    h('td', {class: 'wrap small'}, m.evidence))));
}

function factsOf(c, docs, people) {
  const row = (name, value) => [h('dt', {}, name), h('dd', {}, value)];
  return h('dl', {class: 'facts', id: 'case-facts'},
           row(t('inv.state'), stateBadge(c)),
           row(t('inv.reason'), c.reason),
           row(t('inv.documents'), c.document_ids.length
               ? h('ul', {class: 'plain'}, c.document_ids.map((d) => h('li', {}, documentName(d, docs))))
               : t('inv.no_documents')),
           row(t('inv.opened_by'), personCell(c.opened_by, people)),
           row(t('inv.opened_at'), formatTime(c.opened_at)),
           c.state === 'closed' ? [row(t('inv.finding'), h('span', {class: 'wrap', id: 'case-finding'}, c.finding || '')),
                                   row(t('inv.closed_by'), personCell(c.closed_by, people)),
                                   row(t('inv.closed_at'), formatTime(c.closed_at))] : null);
}

function evidenceForm(c, onAdded) {
  const zone = dropZone({accept: '.txt,.csv,.pdf,text/plain,text/csv,application/pdf', prompt: t('inv.drop')});
  const note = h('input', {id: 'evidence-note', maxlength: 4000});
  const out = h('div', {id: 'evidence-result', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'evidence-submit'}, t('inv.trace'));
  const form = h('form', {class: 'card', id: 'evidence-form'}, h('h2', {}, t('inv.add_evidence')),
                 h('p', {class: 'muted'}, t('inv.add_evidence_intro')), zone.el,
                 field(t('inv.note'), note, t('inv.note_hint')), submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    const file = zone.file();
    if (!file) return out.append(errorBox({code: 'file_missing'}));
    submit.disabled = true;
    try {
      const evidence = await sendFile(`/investigations/${encodeURIComponent(c.id)}/evidence`, file, out,
                                      {method: 'POST', contentType: contentTypeOf(file), query: {note: note.value.trim()}});
      note.value = '';
      zone.reset();
      await onAdded(evidence, out);
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function evidenceList(items, people, docs) {
  if (!items.length) return notice(t('inv.no_evidence'));
  return items.map((e, i) => h('article', {class: 'card evidence', dataset: {evidence: e.evidence_id}},
                               h('h3', {}, t('inv.evidence_n', {n: i + 1}), ' · ', formatTime(e.added_at)),
                               h('dl', {class: 'facts'},
                                 h('dt', {}, t('inv.added_by')), h('dd', {}, personCell(e.added_by, people)),
                                 h('dt', {}, t('inv.file')), h('dd', {}, `${e.content_type} · ${humanSize(e.size)}`),
                                 h('dt', {}, 'SHA-256'), h('dd', {class: 'mono small wrap'}, e.sha256),
                                 e.note ? [h('dt', {}, t('inv.note')), h('dd', {}, e.note)] : null),
                               matchesView(e.matches, people, docs)));
}

function holdersTable(items, people, docs) {
  if (!items.length) return notice(t('inv.no_holders'));
  return table([t('copies.serial'), t('copies.kind'), t('req.document'), t('inv.holder'), t('copies.state'),
                t('copies.issued_at')],
               items.map((x) => h('tr', {dataset: {serial: x.serial}},
                                  h('td', {class: 'mono'}, x.serial), h('td', {}, label('req.type', x.kind)),
                                  h('td', {}, documentName(x.document_id, docs)),
                                  h('td', {}, personCell(x.holder_id, people)),
                                  h('td', {}, h('span', {class: `status status-${x.state}`}, label('copy_state', x.state))),
                                  h('td', {}, formatTime(x.issued_at)))));
}

// The timeline, paged: each event with its audit seq, linked to the trail from that entry on.
function timelineSection(c) {
  const body = h('div', {id: 'timeline', 'aria-live': 'polite'});
  const out = h('div', {'aria-live': 'polite'});
  const more = h('button', {type: 'button', id: 'timeline-more'}, t('audit.more'));
  let events = [];
  let people = {};
  let cursor = null;
  const draw = () => {
    clear(body);
    if (!events.length) return body.append(notice(t('inv.no_events')));
    append(body, [table([t('audit.seq'), t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.target'),
                       t('audit.decision'), t('audit.rule')],
                      events.map((e) => h('tr', {class: `timeline-event decision-${e.decision}`, dataset: {seq: e.seq, action: e.action}},
                                          h('td', {}, link(`audit/${e.seq}`, `#${e.seq}`)),
                                          h('td', {}, formatTime(e.time)), h('td', {}, personCell(e.actor, people)),
                                          h('td', {class: 'mono'}, e.action), h('td', {class: 'mono wrap'}, e.target),
                                          h('td', {}, label('decision', e.decision)), h('td', {}, e.rule)))),
                  cursor ? more : null]);
  };
  const load = async (next) => {
    const res = await api.get(`/investigations/${encodeURIComponent(c.id)}/timeline`, {cursor: next, limit: TIMELINE_PAGE});
    events = next ? events.concat(res.items) : res.items;
    people = next ? {...people, ...res.people} : (res.people || {});
    cursor = res.next_cursor;
    draw();
  };
  action(more, out, () => load(cursor));
  return {el: h('section', {}, h('h2', {}, t('inv.timeline')), h('p', {class: 'muted'}, t('inv.timeline_intro')), body, out),
          reload: () => load(null)};
}

function filenameOf(res, id) {
  const m = (res.headers.get('Content-Disposition') || '').match(/filename="([A-Za-z0-9._-]+)"/);
  return m ? m[1] : `baomi-investigation-${id}.tar`;
}

function bundleSection(c) {
  const out = h('div', {id: 'bundle-result', 'aria-live': 'polite'});
  const button = action(h('button', {type: 'button', class: 'primary', id: 'bundle-download'}, t('inv.bundle')), out,
                        async () => {
                          const res = await api.send('GET', `/investigations/${encodeURIComponent(c.id)}/bundle`);
                          const name = filenameOf(res, c.id);
                          saveBlob(await res.blob(), name);
                          out.append(notice(t('inv.bundle_saved', {name})));
                        });
  return h('section', {class: 'card', id: 'bundle'}, h('h2', {}, t('inv.bundle_heading')),
           h('p', {}, t('inv.bundle_intro')),
           h('pre', {class: 'command', id: 'bundle-command'},
             `baomi evidence verify baomi-investigation-${c.id}.tar --public-key audit.pub`),
           h('p', {class: 'muted small'}, t('inv.bundle_python')), button, out);
}

function closeForm(c) {
  const finding = h('textarea', {id: 'case-finding-input', rows: 3, maxlength: 4000});
  const out = h('div', {'aria-live': 'polite', id: 'case-close-result'});
  const confirm = h('input', {type: 'checkbox', id: 'case-close-confirm'});
  const button = action(h('button', {type: 'button', class: 'danger', id: 'case-close'}, t('inv.close')), out, async () => {
    if (!finding.value.trim()) throw {code: 'finding_missing'};
    if (!confirm.checked) throw {code: 'close_unconfirmed'};
    await api.post(`/investigations/${encodeURIComponent(c.id)}/close`, {finding: finding.value.trim()});
    navigate(`investigations/${c.id}`);
  });
  return h('section', {class: 'card', id: 'case-close-form'}, h('h2', {}, t('inv.close_heading')),
           h('p', {class: 'muted'}, t('inv.close_intro')), field(t('inv.finding'), finding),
           h('div', {class: 'checkline'}, confirm, h('label', {for: 'case-close-confirm'}, t('inv.close_confirm'))),
           h('div', {class: 'actions'}, button), out);
}

export async function renderInvestigation(main, id) {
  const path = `/investigations/${encodeURIComponent(id)}`;
  const [c, docs] = await Promise.all([api.get(path), documentIndex()]);
  const evidenceSlot = h('div', {id: 'evidence-list'});
  const holdersSlot = h('div', {id: 'copy-holders'});
  const timeline = timelineSection(c);
  const loadRecords = async () => {
    const [evidence, holders] = await Promise.all([api.get(`${path}/evidence`), api.get(`${path}/copy-holders`)]);
    append(clear(evidenceSlot), [evidenceList(evidence.items, evidence.people, docs)]);
    clear(holdersSlot).append(holdersTable(holders.items, holders.people, docs));
    await timeline.reload();
  };
  const open = c.state === 'open';
  append(main, [pageTitle(c.title), h('p', {}, link('investigations', t('inv.back'))), factsOf(c, docs, c.people),
              open ? evidenceForm(c, async (evidence, out) => {
                out.append(h('h3', {}, t('inv.result')), matchesView(evidence.matches, evidence.people, docs));
                await loadRecords();
              }) : notice(t('inv.closed_note')),
              h('h2', {}, t('inv.evidence_heading')), evidenceSlot,
              h('h2', {}, t('inv.holders')), h('p', {class: 'muted'}, t('inv.holders_intro')), holdersSlot,
              timeline.el, bundleSection(c), open ? closeForm(c) : null]);
  await loadRecords();
}
