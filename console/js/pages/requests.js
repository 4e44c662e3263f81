// Requests: the caller's own (cancel, issue approved copies), one request with its route and
// who has signed (A1, A2), and the approver's queue (approve or reject with a comment).
import {h, clear, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, setMarkingForLevels, action, link, navigate, currentUser,
        shortId} from '../ui.js';
import {documentIndex, markingBadge} from './documents.js';
import {departmentLabel} from '../policy.js';
import {isAdmin, has} from '../roles.js';
import {listAreas} from './areas.js';

const COPY_TYPES = ['copy', 'print', 'excerpt', 'export'];

function documentCell(req, docs) {
  if (req.scope === 'customers') return t('req.customers_export');
  if (req.scope === 'area') return areaCell(req);
  const doc = docs.get(req.document_id);
  return doc ? h('span', {}, link(`documents/${doc.id}`, doc.title), ' ', markingBadge(doc))
             : shortId(req.document_id);
}

// S11: the areas the reader may know of (keepers their own, secadmin and the auditor all),
// read once per page that lists visits; an area unknown to the reader shows as its short id.
let areaNames = new Map();
let areaKeepers = new Map();
let areaPeople = {};

async function loadAreasFor(items) {
  areaNames = new Map();
  areaKeepers = new Map();
  areaPeople = {};
  if (!items.some((r) => r.scope === 'area')) return;
  try {
    const res = await listAreas();
    areaNames = new Map(res.items.map((a) => [a.id, a.name]));
    areaKeepers = new Map(res.items.map((a) => [a.id, a.keepers]));
    areaPeople = res.people || {};
  } catch {
    // The visit still shows, by the area's id.
  }
}

function areaCell(req) {
  const id = req.visit?.area_id;
  const name = areaNames.get(id);
  return h('span', {class: 'visit-area'}, t('req.visit_to', {area: name ?? shortId(id)}));
}

// The visit's own facts: the visitor (masked by the server), the escort and the window.
function visitRows(req, row) {
  if (!req.visit) return null;
  const v = req.visit;
  const escort = areaPeople[v.escort_id];
  return [row(t('areas.visitor_name'), h('span', {class: 'visit-visitor'},
                                          [v.visitor.name, v.visitor.organisation, v.visitor.id_number].filter(Boolean).join(' · '))),
          row(t('areas.escort'), escort ? `${escort.display_name} (${escort.username})` : person(v.escort_id, null)),
          row(t('areas.window'), `${formatTime(v.window.from)} – ${formatTime(v.window.to)}`)];
}

// S11, C3: the visit area's keepers and the security administrator may see the visitor in
// clear, naming a reason (the server decides, seals the reason and audits the unmask).
function visitorUnmaskForm(req, out) {
  const me = currentUser();
  const keeper = (areaKeepers.get(req.visit.area_id) || []).includes(me?.id);
  if (!me || !(keeper || has(me, 'secadmin'))) return null;
  const reason = h('input', {id: 'visitor-unmask-reason', maxlength: 500, autocomplete: 'off'});
  const shown = h('span', {class: 'visitor-clear', id: 'visitor-clear'});
  const go = action(h('button', {type: 'button', id: 'visitor-unmask'}, t('req.visitor_unmask')), out, async () => {
    const res = await api.get(`/requests/${encodeURIComponent(req.id)}`,
                              {unmask: 'name,id_number', reason: reason.value.trim()});
    const v = res.visit.visitor;
    shown.textContent = [v.name, v.organisation, v.id_number].filter(Boolean).join(' · ');
  });
  return h('section', {class: 'card', id: 'visitor-unmask-card'}, h('h2', {}, t('req.visitor_unmask')),
           h('p', {class: 'muted'}, t('req.visitor_unmask_intro')), field(t('req.reason'), reason), go, shown);
}

// A person on a request by name (the server names the requester and each signer).
function person(id, named) {
  const me = currentUser();
  if (me && me.id === id) return t('req.you');
  if (!named) return shortId(id);
  return `${named.display_name} (${named.username}, ${departmentLabel(named.department)})`;
}

function routeText(req) {
  return req.required.map((step) => t('req.step', {
    roles: (step.any_of || [step.role]).map((r) => label('approver', r)).join(t('req.or')),
    have: step.have ?? 0, count: step.count,
  })).join('；');
}

function statusBadge(req) {
  return h('span', {class: `status status-${req.status}`}, label('status', req.status));
}

function levelsOf(items, docs) {
  return items.map((r) => docs.get(r.document_id)?.level).filter(Boolean);
}

async function listPage(query) {
  const res = await api.get('/requests', {...query, limit: 200});
  return res.items;
}

// S6: the access the user holds now through approved access requests.
function grantsSection(grants, docs) {
  if (!grants.length) return null;
  return [h('h2', {}, t('grants.heading')),
          table([t('req.document'), t('grants.expires'), t('grants.uses_left')],
                grants.map((g) => h('tr', {},
                                    h('td', {}, documentCell(g, docs)),
                                    h('td', {}, formatTime(g.expires_at)),
                                    h('td', {}, g.uses_left === null ? t('grants.unlimited') : String(g.uses_left)))))];
}

export async function renderRequests(main) {
  const me = currentUser();
  const mayHoldGrants = !isAdmin(me);  // grants are held by business accounts only
  const [items, docs, grants] = await Promise.all([
    listPage({}), documentIndex(),
    mayHoldGrants ? api.get('/grants').then((r) => r.items) : Promise.resolve([])]);
  await loadAreasFor(items);
  items.sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  setMarkingForLevels(main, [...levelsOf(items, docs), ...levelsOf(grants, docs)]);
  main.append(pageTitle(t('reqs.heading')), grantsSection(grants, docs));
  if (grants.length) main.append(h('h2', {}, t('reqs.list')));
  if (!items.length) return main.append(notice(t('reqs.none')));
  const out = h('div', {'aria-live': 'polite'});
  // The auditor sees everyone's requests: then who asked is a column.
  const others = items.some((r) => r.requester_id !== me.id);
  main.append(out, table(
      [t('req.type'), t('req.document'), others ? t('req.requester') : null, t('req.reason'), t('req.status'),
       t('req.created_at'), t('req.actions')].filter(Boolean),
      items.map((r) => h('tr', {dataset: {request: r.id}},
                         h('td', {}, link(`requests/${r.id}`, label('req.type', r.type))),
                         h('td', {}, documentCell(r, docs)),
                         others ? h('td', {}, person(r.requester_id, r.requester)) : null,
                         h('td', {class: 'wrap'}, r.reason),
                         h('td', {}, statusBadge(r)),
                         h('td', {}, formatTime(r.created_at)),
                         h('td', {}, requesterActions(r, out))))));
}

// Only the requester withdraws or issues (the auditor sees every request, and acts on none).
function requesterActions(req, out) {
  const buttons = [];
  if (req.requester_id !== currentUser().id) return buttons;
  if (req.status === 'pending') {
    buttons.push(action(h('button', {type: 'button', class: 'cancel-request'}, t('req.cancel')), out,
                        async () => {
                          await api.post(`/requests/${req.id}/cancel`);
                          navigate(`requests/${req.id}`);
                        }));
  }
  if (req.status === 'approved' && COPY_TYPES.includes(req.type) && req.copies_issued < req.copies) {
    buttons.push(action(h('button', {type: 'button', class: 'primary issue-copy'}, t('req.issue')), out,
                        async () => {
                          await api.post('/copies', {request_id: req.id});
                          navigate('copies');
                        }));
  }
  return buttons;
}

function decisionForm(req, after) {
  const comment = h('textarea', {class: 'decision-comment', rows: 2, maxlength: 2000});
  const out = h('div', {'aria-live': 'polite'});
  const decide = (verb) => async () => {
    await api.post(`/requests/${req.id}/${verb}`, {comment: comment.value.trim()});
    after(verb);
  };
  return h('div', {class: 'card decision'},
           field(t('queue.comment'), comment),
           h('div', {class: 'actions'},
             action(h('button', {type: 'button', class: 'primary approve'}, t('queue.approve')),
                    out, decide('approve')),
             action(h('button', {type: 'button', class: 'danger reject'}, t('queue.reject')),
                    out, decide('reject'))),
           out);
}

export async function renderRequest(main, id) {
  const [req, docs] = await Promise.all([api.get(`/requests/${encodeURIComponent(id)}`), documentIndex()]);
  await loadAreasFor([req]);
  setMarkingForLevels(main, levelsOf([req], docs));
  const row = (name, value) => [h('dt', {}, name), h('dd', {}, value)];
  const out = h('div', {'aria-live': 'polite'});
  main.append(
      pageTitle(t('req.detail', {type: label('req.type', req.type)})),
      h('dl', {class: 'facts', id: 'request-facts'},
        row(t('req.status'), statusBadge(req)),
        row(t('req.document'), documentCell(req, docs)),
        row(t('req.requester'), person(req.requester_id, req.requester)),
        visitRows(req, row),
        row(t('req.reason'), req.reason),
        COPY_TYPES.includes(req.type) ? row(t('req.copies'), `${req.copies_issued} / ${req.copies}`) : null,
        row(t('req.days'), String(req.days)),
        req.excerpt ? row(t('req.excerpt'), `${req.excerpt.from}–${req.excerpt.to}`) : null,
        req.excerpt_text ? row(t('req.excerpt_text'), h('pre', {class: 'excerpt'}, req.excerpt_text)) : null,
        row(t('req.route'), routeText(req)),
        row(t('req.created_at'), formatTime(req.created_at)),
        row(t('req.expires_at'), formatTime(req.expires_at))),
      h('h2', {}, t('req.approvals')),
      req.approvals.length
          ? table([t('req.approver'), t('queue.comment'), t('req.at')],
                  req.approvals.map((a) => h('tr', {}, h('td', {}, person(a.approver_id, a.approver)),
                                             h('td', {class: 'wrap'}, a.comment), h('td', {}, formatTime(a.at)))))
          : notice(t('req.no_approvals')),
      out);
  if (req.visit) {
    const unmask = visitorUnmaskForm(req, out);
    if (unmask) main.append(unmask);
  }
  const me = currentUser();
  if (req.can_decide && req.status === 'pending') {
    main.append(decisionForm(req, () => navigate(`requests/${req.id}`)));
  } else if (me && me.id === req.requester_id) {
    main.append(h('div', {class: 'actions'}, requesterActions(req, out)));
  }
}

export async function renderQueue(main) {
  const [items, docs] = await Promise.all([listPage({status: 'pending', approvable: 'true'}),
                                           documentIndex()]);
  await loadAreasFor(items);
  setMarkingForLevels(main, levelsOf(items, docs));
  main.append(pageTitle(t('queue.heading')), h('p', {class: 'muted'}, t('queue.intro')));
  if (!items.length) return main.append(notice(t('queue.none')));
  for (const req of items) {
    const row = (name, value) => [h('dt', {}, name), h('dd', {}, value)];
    const card = h('article', {class: 'card queue-item', dataset: {request: req.id}},
                   h('h2', {}, label('req.type', req.type), ' · ', documentCell(req, docs)),
                   h('dl', {class: 'facts'},
                     row(t('req.requester'), person(req.requester_id, req.requester)),
                     visitRows(req, row),
                     row(t('req.reason'), h('span', {class: 'reason'}, req.reason)),
                     COPY_TYPES.includes(req.type) ? row(t('req.copies'), String(req.copies)) : null,
                     row(t('req.days'), String(req.days)),
                     req.excerpt_text ? row(t('req.excerpt_text'), h('pre', {class: 'excerpt'}, req.excerpt_text)) : null,
                     row(t('req.route'), routeText(req)),
                     row(t('req.signed'), req.approvals.length
                         ? req.approvals.map((a) => `${person(a.approver_id, a.approver)}：${a.comment || '—'}`).join('；')
                         : t('req.no_approvals')),
                     row(t('req.created_at'), formatTime(req.created_at))),
                   link(`requests/${req.id}`, t('req.open')));
    card.append(decisionForm(req, (verb) => {
      clear(card);
      card.append(notice(t(verb === 'approve' ? 'queue.approved' : 'queue.rejected')));
    }));
    main.append(card);
  }
}
