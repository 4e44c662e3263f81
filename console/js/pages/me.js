// Who am I: the account as the server sees it (clearance, categories, roles, pledge).
import {h} from '../dom.js';
import * as api from '../api.js';
import {t, label, levelName, formatTime} from '../i18n.js';
import {pageTitle, setCurrentUser} from '../ui.js';
import {categoryLabel, departmentLabel, roleLabel} from '../policy.js';

export async function renderMe(main) {
  const me = await api.get('/me');
  setCurrentUser(me);
  const row = (name, value) => [h('dt', {}, name), h('dd', {}, value)];
  main.append(pageTitle(t('me.title')),
              h('dl', {class: 'facts', id: 'me-facts'},
                row(t('me.name'), me.display_name),
                row(t('me.username'), me.username),
                row(t('me.department'), departmentLabel(me.department)),
                row(t('me.roles'), me.roles.map((r) => roleLabel(r)).join('、')),
                row(t('me.clearance'), levelName(me.clearance)),
                row(t('me.categories'),
                    me.categories.length ? me.categories.map((c) => categoryLabel(c)).join('、') : t('me.none')),
                row(t('me.pledge'), me.pledge_accepted_at ? formatTime(me.pledge_accepted_at)
                                                          : t('me.pledge_missing')),
                row(t('me.session_ends'), formatTime(api.sessionExpiresAt()?.toISOString()))));
}
