// Customer records (客户信息, C1–C5): exact search, masked by default, unmasking with a reason
// where the role allows it (C3, audited), and the append-only contact log (C5).
import {h, clear, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {errorBox, notice, pageTitle, setMarkingForLevels, action, link, currentUser,
        navigate, personName} from '../ui.js';
import {policy} from '../policy.js';

const SEARCH_FIELDS = ['phone', 'id_number', 'qq', 'account', 'email'];
const FIELDS = ['name', 'phone', 'id_number', 'qq', 'email', 'account', 'address', 'products', 'notes'];
// The policy's `customers.unmask` (policy.md): the fields each role may unmask. The server
// decides; the console offers no more than this.
function unmaskable(user) {
  const unmask = policy().customers.unmask;
  const fields = new Set();
  for (const role of user.roles) for (const f of unmask[role] || []) fields.add(f);
  return FIELDS.filter((f) => fields.has(f));
}

// The last search stays in memory only (never in the URL), so Back returns to the results.
let lastSearch = null;
api.onSessionEnded(() => (lastSearch = null));

export async function renderCustomers(main) {
  const by = h('select', {id: 'cust-field'}, SEARCH_FIELDS.map((f) => h('option', {value: f}, label('field', f))));
  const term = h('input', {id: 'cust-term', autocomplete: 'off', required: true});
  const results = h('div', {id: 'cust-results', 'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'cust-search'}, t('cust.search'));
  const form = h('form', {class: 'card row', role: 'search', id: 'cust-form'},
                 field(t('cust.by'), by), field(t('cust.term'), term, t('cust.term_hint')), submit);
  const show = (items) => {
    clear(results);
    setMarkingForLevels(main, items.map((c) => c.level));
    if (!items.length) return results.append(notice(t('cust.none')));
    results.append(table([t('field.name'), t('field.phone'), t('field.id_number'), t('cust.level'), t('cust.updated')],
                         items.map((c) => h('tr', {dataset: {customer: c.id}},
                                            h('td', {}, link(`customers/${c.id}`, c.name || '—')),
                                            h('td', {class: 'mono'}, c.phone || '—'),
                                            h('td', {class: 'mono'}, c.id_number || '—'),
                                            h('td', {}, label('level', c.level)),
                                            h('td', {}, formatTime(c.updated_at))))));
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(results);
    if (!term.value.trim()) return results.append(errorBox({code: 'term_missing'}));
    submit.disabled = true;
    try {
      const res = await api.get('/customers', {[by.value]: term.value.trim()});
      lastSearch = {field: by.value, items: res.items};
      show(res.items);
    } catch (err) {
      results.append(errorBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  main.append(pageTitle(t('cust.heading')), h('p', {class: 'muted'}, t('cust.intro')), form, results);
  if (lastSearch) {
    by.value = lastSearch.field;
    show(lastSearch.items);
  }
  term.focus();
}

function recordFacts(c) {
  return h('dl', {class: 'facts', id: 'cust-facts'},
           FIELDS.flatMap((f) => [h('dt', {}, label('field', f)),
                                  h('dd', {class: c.unmasked.includes(f) ? 'unmasked' : '', dataset: {field: f}},
                                    c[f] ?? '—')]),
           h('dt', {}, t('cust.level')), h('dd', {}, label('level', c.level)));
}

function unmaskForm(c, onDone) {
  const fields = unmaskable(currentUser()).filter((f) => c[f]);
  if (!fields.length) return null;
  const boxes = fields.map((f) => ({f, box: h('input', {type: 'checkbox', class: 'unmask-field', value: f})}));
  const reason = h('input', {id: 'unmask-reason', maxlength: 500, required: true});
  const out = h('div', {'aria-live': 'polite'});
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'unmask-submit'}, t('cust.unmask')), out,
                        async () => {
                          const chosen = boxes.filter((b) => b.box.checked).map((b) => b.f);
                          if (!chosen.length) throw {code: 'fields_missing'};
                          if (!reason.value.trim()) throw {code: 'reason_missing'};
                          onDone(await api.get(`/customers/${encodeURIComponent(c.id)}`,
                                               {unmask: chosen.join(','), reason: reason.value.trim()}));
                        });
  return h('section', {class: 'card', id: 'unmask-form'}, h('h2', {}, t('cust.unmask_heading')),
           h('p', {class: 'muted'}, t('cust.unmask_intro')),
           h('fieldset', {}, h('legend', {}, t('cust.unmask_fields')),
             boxes.map(({f, box}) => h('label', {class: 'checkline'}, box, label('field', f)))),
           field(t('cust.reason'), reason), submit, out);
}

function contactForm(c, onAdded) {
  const channel = h('select', {id: 'contact-channel'}, ['phone', 'qq', 'email'].map((x) => h('option', {value: x}, label('channel', x))));
  const type = h('select', {id: 'contact-type'},
                 ['consultation', 'complaint', 'suggestion', 'fault'].map((x) => h('option', {value: x}, label('contact_type', x))));
  const content = h('textarea', {id: 'contact-content', rows: 3, maxlength: 20000});
  const out = h('div', {'aria-live': 'polite'});
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'contact-submit'}, t('cust.contact_add')), out,
                        async () => {
                          if (!content.value.trim()) throw {code: 'content_missing'};
                          await api.post(`/customers/${encodeURIComponent(c.id)}/contacts`,
                                         {channel: channel.value, type: type.value, content: content.value.trim()});
                          onAdded();
                        });
  return h('section', {class: 'card', id: 'contact-form'}, h('h2', {}, t('cust.contact_new')),
           h('div', {class: 'row'}, field(t('cust.channel'), channel), field(t('cust.contact_type'), type)),
           field(t('cust.content'), content), submit, out);
}

export async function renderCustomer(main, id) {
  let record = await api.get(`/customers/${encodeURIComponent(id)}`);
  const contacts = await api.get(`/customers/${encodeURIComponent(id)}/contacts`);
  setMarkingForLevels(main, [record.level]);
  const factsSlot = h('div');
  const draw = () => {
    clear(factsSlot);
    factsSlot.append(recordFacts(record),
                     record.unmasked.length ? notice(t('cust.unmasked_note', {fields: record.unmasked.map((f) => label('field', f)).join('、')})) : null);
  };
  draw();
  main.append(pageTitle(t('cust.record')), factsSlot,
              unmaskForm(record, (r) => {
                record = r;
                draw();
              }),
              h('h2', {}, t('cust.contacts')),
              contacts.items.length
                  ? table([t('cust.seq'), t('cust.time'), t('cust.channel'), t('cust.contact_type'), t('cust.content'), t('cust.handled_by')],
                          contacts.items.map((e) => h('tr', {}, h('td', {}, String(e.seq)), h('td', {}, formatTime(e.created_at)),
                                                      h('td', {}, label('channel', e.channel)), h('td', {}, label('contact_type', e.type)),
                                                      h('td', {class: 'wrap'}, e.content), h('td', {}, personName(e.handled_by, contacts.people)))))
                  : notice(t('cust.no_contacts')),
              contactForm(record, () => navigate(`customers/${id}`)));
}
