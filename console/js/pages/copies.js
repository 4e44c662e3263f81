// Copies (S5, S7, S8): the holder's copies (download the marked artifact, report a loss) and,
// for the custodian, the register of copies of the documents they keep (return, destroy).
import {h, field, table, saveBlob} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {notice, pageTitle, setMarkingForLevels, action, link, currentUser, shortId,
        navigate, personCell} from '../ui.js';
import {documentIndex, markingBadge} from './documents.js';

function filenameOf(res, serial) {
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = disposition.match(/filename="([A-Za-z0-9._-]+)"/);
  return m ? m[1] : serial;
}

function documentCell(copy, docs) {
  const doc = docs.get(copy.document_id);
  if (!copy.document_id) return t('req.customers_export');
  return doc ? h('span', {}, link(`documents/${doc.id}`, doc.title)) : shortId(copy.document_id);
}

function lostForm(copy, out) {
  const description = h('textarea', {rows: 2, maxlength: 2000, class: 'lost-description'});
  const wrap = h('div', {class: 'lost-form', hidden: true},
                 field(t('copies.lost_description'), description),
                 action(h('button', {type: 'button', class: 'danger lost-submit'}, t('copies.lost_submit')), out,
                        async () => {
                          if (!description.value.trim()) throw {code: 'description_missing'};
                          await api.post(`/copies/${encodeURIComponent(copy.serial)}/report-lost`,
                                         {description: description.value.trim()});
                          navigate('copies');
                        }));
  const open = h('button', {type: 'button', class: 'lost-open'}, t('copies.report_lost'));
  open.addEventListener('click', () => {
    wrap.hidden = false;
    open.hidden = true;
    description.focus();
  });
  return [open, wrap];
}

function holderActions(copy, out) {
  if (copy.state !== 'issued') return null;
  const download = action(h('button', {type: 'button', class: 'primary download-artifact'}, t('copies.download')),
                          out, async () => {
                            const res = await api.send('GET', `/copies/${encodeURIComponent(copy.serial)}/artifact`);
                            saveBlob(await res.blob(), filenameOf(res, copy.serial));
                            out.append(notice(t('copies.downloaded', {serial: copy.serial})));
                          });
  return [download, lostForm(copy, out)];
}

function custodianActions(copy, out) {
  if (copy.state !== 'issued') return null;
  const verb = (name) => action(h('button', {type: 'button', class: `${name}-copy`}, t(`copies.${name}`)), out,
                                async () => {
                                  await api.post(`/copies/${encodeURIComponent(copy.serial)}/${name}`, {});
                                  navigate('copies');
                                });
  return [verb('return'), verb('destroy')];
}

// `people` (the register's holders by name) is given for the custodian's register only: in
// the holder's own list every copy is theirs.
function copyTable(copies, docs, out, actions, people = null) {
  return table(
      [t('copies.serial'), t('copies.kind'), t('req.document'), people ? t('copies.holder') : null,
       t('docs.marking'), t('copies.state'), t('copies.issued_at'), t('req.actions')].filter(Boolean),
      copies.map((c) => h('tr', {dataset: {serial: c.serial}},
                          h('td', {class: 'mono'}, c.serial), h('td', {}, label('req.type', c.kind)),
                          h('td', {}, documentCell(c, docs)),
                          people ? h('td', {class: 'holder'}, personCell(c.holder_id, people)) : null,
                          h('td', {}, docs.get(c.document_id) ? markingBadge(docs.get(c.document_id)) : c.marking || ''),
                          h('td', {}, h('span', {class: `status status-${c.state}`}, label('copy_state', c.state))),
                          h('td', {}, formatTime(c.issued_at)), h('td', {}, actions(c, out)))));
}

export async function renderCopies(main) {
  const [own, docs] = await Promise.all([api.get('/copies', {limit: 200}), documentIndex()]);
  const me = currentUser();
  const kept = [...docs.values()].filter((d) => d.custodian_id === me.id && d.version > 0);
  const register = [];
  const people = {};
  for (const doc of kept) {
    const res = await api.get('/copies', {document_id: doc.id, limit: 200});
    register.push(...res.items);
    Object.assign(people, res.people);
  }
  setMarkingForLevels(main, [...own.items, ...register].map((c) => docs.get(c.document_id)?.level).filter(Boolean));
  const out = h('div', {id: 'copies-message', 'aria-live': 'polite'});
  main.append(pageTitle(t('copies.heading')), out);
  main.append(own.items.length ? copyTable(own.items, docs, out, holderActions) : notice(t('copies.none')));
  if (kept.length) {
    main.append(h('h2', {}, t('copies.register')),
                register.length ? copyTable(register, docs, out, custodianActions, people) : notice(t('copies.register_none')));
  }
}
