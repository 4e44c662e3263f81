// Losses and their remediation (S8): reported losses of copies and notes, the steps taken, and
// closing by the security administrator once remedied.
import {h, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {notice, pageTitle, action, navigate, currentUser, shortId, setMarkingForLevels, personName} from '../ui.js';
import {has} from '../roles.js';
import {documentIndex} from './documents.js';

function stepForm(incident, out) {
  const me = currentUser();
  if (incident.state !== 'open' || has(me, 'auditor') || has(me, 'sysadmin')) return null;
  const note = h('textarea', {rows: 2, maxlength: 2000, class: 'incident-note'});
  const addStep = action(h('button', {type: 'button', class: 'incident-step'}, t('incidents.add_step')), out, async () => {
    if (!note.value.trim()) throw {code: 'note_missing'};
    await api.post(`/incidents/${encodeURIComponent(incident.id)}/steps`, {note: note.value.trim()});
    navigate('incidents');
  });
  // Only the security administrator closes an incident (S8: remedied, then closed).
  const close = has(me, 'secadmin')
      ? action(h('button', {type: 'button', class: 'primary incident-close'}, t('incidents.close')), out, async () => {
        if (!note.value.trim()) throw {code: 'note_missing'};
        await api.post(`/incidents/${encodeURIComponent(incident.id)}/close`, {note: note.value.trim()});
        navigate('incidents');
      })
      : null;
  return h('div', {class: 'incident-actions'}, field(t('incidents.note'), note), h('div', {class: 'actions'}, addStep, close));
}

export async function renderIncidents(main) {
  const [res, docs] = await Promise.all([api.get('/incidents', {limit: 200}), documentIndex()]);
  const items = res.items.sort((a, b) => (a.opened_at < b.opened_at ? 1 : -1));
  setMarkingForLevels(main, items.map((i) => docs.get(i.document_id)?.level).filter(Boolean));
  const out = h('div', {'aria-live': 'polite', id: 'incidents-message'});
  main.append(pageTitle(t('incidents.heading')), h('p', {class: 'muted'}, t('incidents.intro')), out);
  if (!items.length) return main.append(notice(t('incidents.none')));
  for (const i of items) {
    const doc = docs.get(i.document_id);
    main.append(h('article', {class: 'card incident', dataset: {incident: i.id, serial: i.serial || ''}},
                  h('h2', {}, doc ? doc.title : shortId(i.document_id), i.serial ? ` · ${i.serial}` : '', ' ',
                    h('span', {class: `status status-${i.state === 'open' ? 'lost' : 'confirmed'}`}, label('incident_state', i.state))),
                  h('p', {class: 'wrap'}, i.description),
                  h('p', {class: 'muted'}, t('incidents.opened_by', {time: formatTime(i.opened_at), who: personName(i.reporter_id, res.people)}),
                    i.closed_at ? ` · ${t('incidents.closed_at', {time: formatTime(i.closed_at)})}` : ''),
                  i.steps.length
                      ? table([t('incidents.when'), t('incidents.by'), t('incidents.note')],
                              i.steps.map((s) => h('tr', {}, h('td', {}, formatTime(s.at)),
                                                   h('td', {}, personName(s.actor_id, res.people)),
                                                   h('td', {class: 'wrap'}, s.note))))
                      : null,
                  stepForm(i, out)));
  }
}
