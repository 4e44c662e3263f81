// Handover slips (工作交接单, H1–H3): write one at the end of a shift, the receiving
// departments acknowledge their copy and confirm each item the next day (never the author, I2).
import {h, clear, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, setMarking, setMarkingForLevels, action, link, currentUser,
        navigate, personName} from '../ui.js';
import {isAdmin} from '../roles.js';
import {policy, departmentLabel} from '../policy.js';

// The people the slips on the page name (authors, who acknowledged and confirmed), from the
// responses' `people` maps.
let people = {};
const person = (id) => personName(id, people);

function shiftName(s) {
  return label('shift', s.name, s.display);
}

function stateBadge(slip) {
  return h('span', {class: `status status-${slip.state}`}, label('slip_state', slip.state));
}

function copiesText(slip) {
  return slip.copies.map((c) => `${departmentLabel(c.department)}：${c.acknowledged
      ? `${t('slip.acked')}${c.acknowledged_by ? `（${person(c.acknowledged_by)}）` : ''}` : t('slip.not_acked')}`)
      .join('；');
}

function itemRow(onRemove) {
  const summary = h('input', {class: 'item-summary', maxlength: 1000, required: true});
  const priority = h('select', {class: 'item-priority'},
                     ['normal', 'high', 'low'].map((p) => h('option', {value: p}, label('priority', p))));
  const remove = h('button', {type: 'button', class: 'link'}, t('slip.remove_item'));
  const row = h('div', {class: 'row slip-item'}, field(t('slip.summary'), summary),
                field(t('slip.priority'), priority), remove);
  remove.addEventListener('click', () => onRemove(row));
  return row;
}

function newSlipForm() {
  const shift = h('select', {id: 'slip-shift'},
                  policy().organisation.handover_shifts.map((s) => h('option', {value: s.name},
                                                                       shiftName(s))));
  const notes = h('textarea', {id: 'slip-notes', rows: 2, maxlength: 4000});
  const items = h('div', {id: 'slip-items'});
  const remove = (row) => items.children.length > 1 && row.remove();
  items.append(itemRow(remove));
  const add = h('button', {type: 'button', id: 'slip-add-item'}, t('slip.add_item'));
  add.addEventListener('click', () => items.append(itemRow(remove)));
  const out = h('div', {'aria-live': 'polite', id: 'slip-result'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'slip-submit'}, t('slip.submit'));
  const form = h('form', {class: 'card', id: 'slip-form'}, h('h2', {}, t('slip.new')),
                 h('p', {class: 'muted'}, t('slip.new_intro')),
                 field(t('slip.shift'), shift), items, add, field(t('slip.notes'), notes), submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    const list = [...items.querySelectorAll('.slip-item')].map((row) => ({
      summary: row.querySelector('.item-summary').value.trim(),
      priority: row.querySelector('.item-priority').value,
    })).filter((i) => i.summary);
    if (!list.length) return out.append(errorBox({code: 'items_missing'}));
    submit.disabled = true;
    try {
      const body = {shift: shift.value, items: list};
      if (notes.value.trim()) body.notes = notes.value.trim();
      const slip = await api.post('/handovers', body);
      navigate(`handovers/${slip.id}`);
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function renderHandovers(main) {
  const me = currentUser();
  const res = await api.get('/handovers', {limit: 100});
  people = res.people || {};
  const slips = res.items.sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  setMarkingForLevels(main, slips.length ? ['internal'] : []);
  main.append(pageTitle(t('slips.heading')));
  if (!isAdmin(me)) main.append(newSlipForm());
  main.append(h('h2', {}, t('slips.list')));
  if (!slips.length) return main.append(notice(t('slips.none')));
  main.append(table(
      [t('slip.date'), t('slip.shift'), t('slip.author'), t('slip.state'), t('slip.copies'), t('slip.due')],
      slips.map((s) => h('tr', {dataset: {slip: s.id}},
                         h('td', {}, link(`handovers/${s.id}`, s.date)),
                         h('td', {}, s.shift_display || s.shift), h('td', {}, person(s.author_id)),
                         h('td', {}, stateBadge(s)), h('td', {}, copiesText(s)),
                         h('td', {}, formatTime(s.due_at))))));
}

function confirmForm(slip, out) {
  const open = (slip.items || []).filter((i) => !i.confirmation);
  if (!open.length) return null;
  const rows = open.map((item) => {
    const done = h('input', {type: 'checkbox', class: 'confirm-done', checked: true});
    const note = h('input', {class: 'confirm-note', maxlength: 1000});
    return {item, el: h('div', {class: 'row confirm-item', dataset: {index: item.index}},
                        h('span', {class: 'grow'}, `${item.index + 1}. ${item.summary}`),
                        h('label', {class: 'checkline'}, done, t('slip.done')),
                        field(t('slip.note'), note)),
            done, note};
  });
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'slip-confirm'}, t('slip.confirm')),
                        out, async () => {
                          const items = rows.map((r) => {
                            const entry = {index: r.item.index, done: r.done.checked};
                            if (r.note.value.trim()) entry.note = r.note.value.trim();
                            return entry;
                          });
                          await api.post(`/handovers/${slip.id}/confirm`, {items});
                          navigate(`handovers/${slip.id}`);
                        });
  return h('section', {class: 'card'}, h('h2', {}, t('slip.confirm_heading')),
           h('p', {class: 'muted'}, t('slip.confirm_intro')), rows.map((r) => r.el), submit);
}

export async function renderHandover(main, id) {
  const me = currentUser();
  const slip = await api.get(`/handovers/${encodeURIComponent(id)}`);
  people = slip.people || {};
  setMarking(main, label('level', 'internal'), 'internal');
  const out = h('div', {'aria-live': 'polite', id: 'slip-message'});
  const row = (name, value) => [h('dt', {}, name), h('dd', {}, value)];
  main.append(pageTitle(t('slip.title', {date: slip.date, shift: slip.shift_display || slip.shift})),
              h('dl', {class: 'facts', id: 'slip-facts'},
                row(t('slip.state'), stateBadge(slip)), row(t('slip.author'), person(slip.author_id)),
                row(t('slip.copies'), copiesText(slip)), row(t('slip.due'), formatTime(slip.due_at)),
                row(t('slip.version'), String(slip.version)),
                slip.notes ? row(t('slip.notes'), slip.notes) : null,
                slip.retain_until ? row(t('slip.retain_until'), formatTime(slip.retain_until)) : null),
              out);
  if (slip.content_visible && slip.items) {
    main.append(table([t('slip.index'), t('slip.summary'), t('slip.priority'), t('slip.confirmation')],
                      slip.items.map((i) => h('tr', {},
                                              h('td', {}, String(i.index + 1)), h('td', {class: 'wrap'}, i.summary),
                                              h('td', {}, label('priority', i.priority)),
                                              h('td', {}, i.confirmation
                                                  ? `${i.confirmation.done ? t('slip.done') : t('slip.not_done')} · ${person(i.confirmation.by)} · ${formatTime(i.confirmation.at)}${i.confirmation.note ? ` · ${i.confirmation.note}` : ''}`
                                                  : t('slip.unconfirmed'))))));
  } else {
    main.append(notice(t('slip.metadata_only')));
  }
  if (slip.author_id === me.id || isAdmin(me) || slip.state === 'purged') return;
  const myCopy = slip.copies.find((c) => c.department === me.department);
  if (myCopy && !myCopy.acknowledged) {
    main.append(h('div', {class: 'actions'},
                  action(h('button', {type: 'button', class: 'primary', id: 'slip-acknowledge'}, t('slip.acknowledge')),
                         out, async () => {
                           await api.post(`/handovers/${slip.id}/acknowledge`, {});
                           navigate(`handovers/${slip.id}`);
                         })));
  }
  if (myCopy && slip.state !== 'confirmed') {
    const form = confirmForm(slip, out);
    if (form) main.append(form);
  }
}
