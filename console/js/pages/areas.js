// Restricted areas (S11): the security administrator creates areas, keeps their lists and says
// which take visit requests from cleared staff; an area's keepers record entries and exits, see
// who is inside and the log; staff the server tells of an area (its keepers, those on its
// authorised list, cleared staff when it is requestable) ask for visits; the auditor reads the
// log. People are picked and shown by name (the area's answers name the
// accounts they list). The server decides every call (policy actions manage_areas, read_area,
// record_passage, enter_area, admit_visitor, read_area_log); the console offers only what the
// reader's place on the area allows.
import {h, clear, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, levelName, formatTime} from '../i18n.js';
import {notice, pageTitle, action, currentUser, navigate, link, personName, setMarking} from '../ui.js';
import {has, isAdmin} from '../roles.js';
import {levelNames} from '../policy.js';

const KINDS = ['information_room', 'archive', 'computer_room', 'other'];
const LISTS = ['authorised', 'keepers', 'terminals'];
const AREA_REFUSALS = ['clearance', 'pledge_required'];

const isKeeper = (area, me) => area.keepers.includes(me.id);
const isTerminal = (me) => has(me, 'door_terminal');

// Every area the server tells the reader of, page by page (limit + cursor).
export async function listAreas(pages = 10) {
  const items = [];
  let people = {};
  let cursor = null;
  for (let page = 0; page < pages; page++) {
    const res = await api.get('/areas', {limit: 200, cursor});
    items.push(...res.items);
    people = {...people, ...(res.people || {})};
    if (!res.next_cursor || res.items.length === 0) break;
    cursor = res.next_cursor;
  }
  return {items, people};
}
const mayReadLog = (area, me) => has(me, 'secadmin') || has(me, 'auditor') || isKeeper(area, me);

function personText(id, people) {
  const p = people[id];
  return p ? `${p.display_name} (${p.username})` : personName(id, people);
}

// A list of people to tick by name, with a filter box; `accounts` are {id, username,
// display_name}. Returns the element and a function giving the ticked ids.
function personPicker(name, accounts, chosen) {
  const filter = h('input', {type: 'search', class: `pick-filter pick-filter-${name}`, autocomplete: 'off',
                             'aria-label': t('areas.filter')});
  const boxes = accounts.map((a) => ({a, box: h('input', {type: 'checkbox', value: a.id, class: `pick-${name}`,
                                                          dataset: {username: a.username},
                                                          checked: chosen.includes(a.id)})}));
  const lines = boxes.map(({a, box}) => h('label', {class: 'checkline', dataset: {username: a.username}}, box,
                                          `${a.display_name} (${a.username})`));
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    boxes.forEach(({a}, i) => {
      lines[i].hidden = q && !`${a.display_name} ${a.username}`.toLowerCase().includes(q);
    });
  });
  const el = h('fieldset', {class: `picker picker-${name}`}, h('legend', {}, t(`areas.list.${name}`)), filter,
               h('div', {class: 'cats'}, lines));
  return {el, ids: () => boxes.filter((b) => b.box.checked).map((b) => b.a.id)};
}

// Who may stand on each list: door terminals on `terminals`, people on the other two.
function candidates(users, list) {
  const device = (u) => u.roles.includes('door_terminal');
  return users.filter((u) => (list === 'terminals' ? device(u) : !device(u)));
}

function createForm(users) {
  const name = h('input', {id: 'area-name', maxlength: 200, autocomplete: 'off'});
  const kind = h('select', {id: 'area-kind'}, KINDS.map((k) => h('option', {value: k}, label('area_kind', k))));
  const level = h('select', {id: 'area-level'}, levelNames().map((l) => h('option', {value: l}, levelName(l))));
  const pickers = Object.fromEntries(LISTS.map((l) => [l, personPicker(l, candidates(users, l), [])]));
  const out = h('div', {'aria-live': 'polite'});
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'area-create'}, t('areas.create')), out,
                        async () => {
                          const area = await api.post('/areas', {
                            name: name.value.trim(), kind: kind.value, level: level.value,
                            ...Object.fromEntries(LISTS.map((l) => [l, pickers[l].ids()]))});
                          navigate(`areas/${area.id}`);
                        });
  return h('section', {class: 'card', id: 'area-new'}, h('h2', {}, t('areas.new')),
           h('div', {class: 'grid'}, field(t('areas.name'), name), field(t('areas.kind'), kind),
             field(t('areas.level'), level)),
           LISTS.map((l) => pickers[l].el), submit, out);
}

export async function renderAreas(main) {
  const me = currentUser();
  const secadmin = has(me, 'secadmin');
  const [res, users] = await Promise.all([listAreas(),
                                          secadmin ? api.get('/users', {limit: 500}) : Promise.resolve(null)]);
  main.append(pageTitle(t('areas.heading')), h('p', {class: 'muted'}, t('areas.intro')));
  if (secadmin) main.append(createForm(users.items));
  if (!res.items.length) return main.append(notice(t(isAdmin(me) ? 'areas.none' : 'areas.none_kept')));
  main.append(table([t('areas.name'), t('areas.kind'), t('areas.level'), t('areas.list.keepers'), t('areas.your_part')],
                    res.items.map((a) => h('tr', {dataset: {area: a.id}},
                                           h('td', {}, link(`areas/${a.id}`, a.name)),
                                           h('td', {}, label('area_kind', a.kind)), h('td', {}, levelName(a.level)),
                                           h('td', {}, a.keepers.map((id) => personText(id, res.people || {})).join('、')),
                                           h('td', {}, partOf(a, me))))));
}

function partOf(area, me) {
  if (has(me, 'secadmin')) return t('areas.part.secadmin');
  if (has(me, 'auditor')) return t('areas.part.auditor');
  if (isKeeper(area, me)) return t('areas.part.keeper');
  if (area.terminals.includes(me.id)) return t('areas.part.terminal');
  if (area.authorised.includes(me.id)) return t('areas.part.authorised');
  if (area.requestable) return t('areas.part.requester');
  return '';
}

// The security administrator replaces one list at a time (PUT /areas/{id}/<list>, audited
// with what was added and removed).
function listEditor(area, list, users) {
  const picker = personPicker(list, candidates(users, list), area[list]);
  const out = h('div', {'aria-live': 'polite'});
  const save = action(h('button', {type: 'button', class: `primary save-${list}`}, t('areas.save_list')), out, async () => {
    await api.put(`/areas/${encodeURIComponent(area.id)}/${list}`, {[list]: picker.ids()});
    navigate(`areas/${area.id}`);
  });
  return h('div', {class: 'list-editor', id: `edit-${list}`}, picker.el, save, out);
}

// S11: whether staff cleared for the area's level are told of it and may ask for visits.
function requestableForm(area) {
  const box = h('input', {type: 'checkbox', id: 'area-requestable', checked: !!area.requestable});
  const out = h('div', {'aria-live': 'polite'});
  const save = action(h('button', {type: 'button', class: 'primary', id: 'area-requestable-save'}, t('areas.requestable_save')), out,
                      async () => {
                        await api.put(`/areas/${encodeURIComponent(area.id)}/requestable`, {requestable: box.checked});
                        navigate(`areas/${area.id}`);
                      });
  return h('section', {class: 'card', id: 'area-requestable-card'}, h('h2', {}, t('areas.requestable')),
           h('label', {class: 'checkline'}, box, t('areas.requestable_hint')), save, out);
}

function peopleList(ids, people) {
  if (!ids.length) return '—';
  return h('ul', {class: 'plain'}, ids.map((id) => h('li', {}, personText(id, people))));
}

// Who passed: a person by name, or a visitor (name masked by the server) with their escort.
function passer(p, people) {
  if (p.visit_id) {
    return [h('span', {class: 'visitor'}, t('areas.visitor', {name: p.visitor?.name || '', org: p.visitor?.organisation || ''})),
            p.escort_id ? h('div', {class: 'small muted'}, t('areas.escorted_by', {who: personText(p.escort_id, people)})) : null];
  }
  return personText(p.person_id, people);
}

function passagesTable(items, people, exitButton) {
  return table([t('areas.who'), t('areas.entered_at'), t('areas.recorded_by'), t('areas.left_at'),
                exitButton ? t('req.actions') : null].filter(Boolean),
               items.map((p) => h('tr', {class: 'passage', dataset: {passage: p.id, person: p.person_id || '', visit: p.visit_id || ''}},
                                  h('td', {}, passer(p, people)), h('td', {}, formatTime(p.entered_at)),
                                  h('td', {}, personText(p.entered_by, people)),
                                  h('td', {}, p.left_at ? `${formatTime(p.left_at)} · ${personText(p.left_by, people)}` : t('areas.inside')),
                                  exitButton ? h('td', {}, exitButton(p)) : null)));
}

// The keeper at the door: a person from the authorised list by name (anyone else is refused
// by the server and raises an alert), or a visitor by their approved visit.
function doorForm(area, people, visits) {
  const out = h('div', {'aria-live': 'polite', id: 'door-message'});
  const person = h('select', {id: 'door-person'}, h('option', {value: ''}, t('areas.pick_person')),
                   area.authorised.map((id) => h('option', {value: id}, personText(id, people))));
  const visit = h('input', {id: 'door-visit', list: 'door-visits', autocomplete: 'off', maxlength: 64});
  const known = h('datalist', {id: 'door-visits'},
                  visits.map((v) => h('option', {value: v.id}, `${v.visit.visitor.name} · ${formatTime(v.visit.window.from)}`)));
  const body = () => {
    if (visit.value.trim()) return {visit_id: visit.value.trim()};
    if (person.value) return {person_id: person.value};
    throw {code: 'door_nobody'};
  };
  const pass = (verb) => async () => {
    try {
      await api.post(`/areas/${encodeURIComponent(area.id)}/${verb}`, body());
    } catch (err) {
      // The person at the door lacks the clearance or the pledge, not the keeper (S11, S2).
      if (err && AREA_REFUSALS.includes(err.code)) err.textKey = `err.area_${err.code}`;
      throw err;
    }
    navigate(`areas/${area.id}`);
  };
  return h('section', {class: 'card', id: 'door'}, h('h2', {}, t('areas.door')),
           h('p', {class: 'muted'}, t('areas.door_intro')),
           h('div', {class: 'grid'}, field(t('areas.person'), person),
             field(t('areas.visit'), visit, t('areas.visit_hint')), known),
           h('div', {class: 'actions'},
             action(h('button', {type: 'button', class: 'primary', id: 'door-enter'}, t('areas.enter')), out, pass('entries')),
             action(h('button', {type: 'button', id: 'door-exit'}, t('areas.exit')), out, pass('exits'))),
           out);
}

function localInput(id, date) {
  const pad = (n) => String(n).padStart(2, '0');
  const value = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return h('input', {id, type: 'datetime-local', value});
}

// S11: a visitor enters only on an approved visit, with an escort from the authorised list.
function visitForm(area, people) {
  const now = new Date();
  const name = h('input', {id: 'visit-name', maxlength: 128, autocomplete: 'off'});
  const org = h('input', {id: 'visit-org', maxlength: 200, autocomplete: 'off'});
  const idNumber = h('input', {id: 'visit-id-number', maxlength: 32, autocomplete: 'off'});
  const escort = h('select', {id: 'visit-escort'}, area.authorised.map((id) => h('option', {value: id}, personText(id, people))));
  const from = localInput('visit-from', now);
  const to = localInput('visit-to', new Date(now.getTime() + 2 * 3600 * 1000));
  const reason = h('textarea', {id: 'visit-reason', rows: 2, maxlength: 2000});
  const out = h('div', {'aria-live': 'polite'});
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'visit-submit'}, t('areas.ask_visit')), out, async () => {
    const at = (input) => {
      const d = new Date(input.value);
      if (Number.isNaN(d.getTime())) throw {code: 'visit_window'};
      return d.toISOString();
    };
    const visitor = {name: name.value.trim(), organisation: org.value.trim()};
    if (idNumber.value.trim()) visitor.id_number = idNumber.value.trim();
    const req = await api.post('/requests', {type: 'visit', area_id: area.id, visitor, escort_id: escort.value,
                                             window: {from: at(from), to: at(to)}, reason: reason.value.trim()});
    navigate(`requests/${req.id}`);
  });
  return h('section', {class: 'card', id: 'visit-new'}, h('h2', {}, t('areas.visit_heading')),
           h('p', {class: 'muted'}, t('areas.visit_intro')),
           h('div', {class: 'grid'}, field(t('areas.visitor_name'), name), field(t('areas.visitor_org'), org),
             field(t('areas.visitor_id'), idNumber, t('areas.visitor_id_hint')), field(t('areas.escort'), escort),
             field(t('areas.from'), from), field(t('areas.to'), to)),
           field(t('req.reason'), reason), submit, out);
}

function logSection(area) {
  const from = h('input', {id: 'log-from', type: 'datetime-local'});
  const to = h('input', {id: 'log-to', type: 'datetime-local'});
  const results = h('div', {id: 'area-log', 'aria-live': 'polite'});
  const out = h('div', {'aria-live': 'polite'});
  const iso = (input) => (input.value ? new Date(input.value).toISOString() : null);
  // Page by page (limit + cursor): "more" appends the next page under the last.
  const page = async (cursor) => {
    const res = await api.get(`/areas/${encodeURIComponent(area.id)}/entries`,
                              {from: iso(from), to: iso(to), limit: 100, cursor});
    if (!cursor) clear(results);
    results.querySelector('.log-more')?.remove();
    if (!cursor && !res.items.length) return results.append(notice(t('areas.log_none')));
    results.append(passagesTable(res.items, res.people || {}));
    if (res.next_cursor) {
      const more = action(h('button', {type: 'button', class: 'log-more'}, t('areas.log_more')), out,
                          () => page(res.next_cursor));
      results.append(more);
    }
  };
  const load = () => page(null);
  const show = action(h('button', {type: 'button', class: 'primary', id: 'log-show'}, t('audit.search')), out, load);
  return {el: h('section', {class: 'card', id: 'area-log-card'}, h('h2', {}, t('areas.log')),
                h('div', {class: 'grid'}, field(t('areas.from'), from), field(t('areas.to'), to)), show, out, results),
          load};
}

export async function renderArea(main, id) {
  const me = currentUser();
  const area = await api.get(`/areas/${encodeURIComponent(id)}`);
  const people = area.people || {};
  const secadmin = has(me, 'secadmin');
  const keeper = isKeeper(area, me);
  const [users, present, own] = await Promise.all([
    secadmin ? api.get('/users', {limit: 500}) : null,
    mayReadLog(area, me) ? api.get(`/areas/${encodeURIComponent(id)}/present`) : null,
    keeper ? api.get('/requests', {status: 'approved', limit: 200}) : null]);
  // The area's own marking level is not a document's; its name and lists are classified data.
  setMarking(main, null);
  const row = (name, value) => [h('dt', {}, name), h('dd', {}, value)];
  main.append(pageTitle(t('areas.detail', {name: area.name})),
              h('dl', {class: 'facts', id: 'area-facts'},
                row(t('areas.kind'), label('area_kind', area.kind)), row(t('areas.level'), levelName(area.level)),
                LISTS.map((l) => row(t(`areas.list.${l}`), peopleList(area[l], people))),
                row(t('areas.requestable'), t(area.requestable ? 'areas.requestable_yes' : 'areas.requestable_no')),
                row(t('areas.changed_by'), `${personText(area.changed_by, people)} · ${formatTime(area.updated_at)}`)));
  if (secadmin) {
    main.append(h('section', {class: 'card', id: 'area-lists'}, h('h2', {}, t('areas.edit_lists')),
                  LISTS.map((l) => listEditor(area, l, users.items))));
    main.append(requestableForm(area));
  }
  if (keeper) {
    const visits = own.items.filter((r) => r.type === 'visit' && r.visit?.area_id === area.id);
    main.append(doorForm(area, people, visits));
  }
  if (present) {
    const out = h('div', {'aria-live': 'polite'});
    const exit = keeper ? (p) => action(h('button', {type: 'button', class: 'passage-exit'}, t('areas.exit')), out, async () => {
      await api.post(`/areas/${encodeURIComponent(area.id)}/exits`, p.visit_id ? {visit_id: p.visit_id} : {person_id: p.person_id});
      navigate(`areas/${area.id}`);
    }) : null;
    main.append(h('section', {class: 'card', id: 'area-present'}, h('h2', {}, t('areas.present')), out,
                  present.items.length ? passagesTable(present.items, present.people || {}, exit) : notice(t('areas.nobody'))));
    const log = logSection(area);
    main.append(log.el);
    await log.load();
  }
  // Anyone the server tells of the area, administrators and door terminals aside, may ask for
  // a visit (the server checks the clearance and routes the approval to the keepers).
  if (!isAdmin(me) && !isTerminal(me)) main.append(visitForm(area, people));
}
