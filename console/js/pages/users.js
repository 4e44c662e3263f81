// Administrators (separation of duties): the system administrator creates accounts with
// business roles only; the security administrator sets clearances and categories of business
// accounts, never their own or another administrator's.
import {h, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, levelName} from '../i18n.js';
import {notice, pageTitle, action, currentUser, navigate} from '../ui.js';
import {has, isAdmin} from '../roles.js';
import {policy, businessRoles, levelNames, categoryLabel, roleLabel} from '../policy.js';
import {departmentName} from './departments.js';

// The choices are the policy's (GET /policy/summary): business roles (a sysadmin gives no
// admin role), levels and categories; the departments are the chart in force (GET
// /departments: the policy's and those the sysadmin added, A2).

function createForm(departments) {
  const username = h('input', {id: 'new-username', maxlength: 64, autocomplete: 'off'});
  const display = h('input', {id: 'new-display', maxlength: 128});
  const department = h('select', {id: 'new-department'},
                       departments.filter((d) => d.state === 'active')
                           .map((d) => h('option', {value: d.name}, departmentName(d))));
  const password = h('input', {id: 'new-password', type: 'password', autocomplete: 'new-password', minlength: 8});
  const roles = businessRoles().map((r) => ({r, box: h('input', {type: 'checkbox', class: 'new-role', value: r})}));
  const out = h('div', {'aria-live': 'polite'});
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'new-submit'}, t('users.create')), out, async () => {
    const chosen = roles.filter((x) => x.box.checked).map((x) => x.r);
    if (!chosen.length) throw {code: 'roles_missing'};
    await api.post('/users', {username: username.value.trim(), display_name: display.value.trim(),
                              department: department.value, password: password.value, roles: chosen});
    navigate('users');
  });
  return h('section', {class: 'card', id: 'user-create'}, h('h2', {}, t('users.new')),
           h('p', {class: 'muted'}, t('users.new_intro')),
           h('div', {class: 'grid'}, field(t('users.username'), username), field(t('users.display'), display),
             field(t('me.department'), department), field(t('login.password'), password, t('users.password_hint'))),
           h('fieldset', {}, h('legend', {}, t('me.roles')),
             roles.map(({r, box}) => h('label', {class: 'checkline'}, box, roleLabel(r)))),
           submit, out);
}

function clearanceForm(user, out) {
  const level = h('select', {class: 'clearance-level', 'aria-label': t('me.clearance')},
                  levelNames().map((l) => h('option', {value: l, selected: l === user.clearance}, levelName(l))));
  const boxes = policy().categories.map(({name: c}) => ({c, box: h('input', {type: 'checkbox', value: c, checked: user.categories.includes(c)})}));
  const save = action(h('button', {type: 'button', class: 'primary clearance-save'}, t('users.save_clearance')), out, async () => {
    await api.put(`/users/${encodeURIComponent(user.id)}/clearance`,
                  {level: level.value, categories: boxes.filter((b) => b.box.checked).map((b) => b.c)});
    navigate('users');
  });
  return h('div', {class: 'clearance-form'}, level,
           h('div', {class: 'cats'}, boxes.map(({c, box}) => h('label', {class: 'checkline'}, box, categoryLabel(c)))), save);
}

export async function renderUsers(main) {
  const me = currentUser();
  const [res, depts] = await Promise.all([api.get('/users', {limit: 500}), api.get('/departments')]);
  const deptByName = new Map(depts.items.map((d) => [d.name, d]));
  const deptLabel = (name) => departmentName(deptByName.get(name) || {name, source: 'policy'});
  const out = h('div', {'aria-live': 'polite', id: 'users-message'});
  main.append(pageTitle(t('users.heading')), out);
  if (has(me, 'sysadmin')) main.append(createForm(depts.items));
  const editable = (u) => has(me, 'secadmin') && u.id !== me.id && !isAdmin(u);
  main.append(table([t('users.username'), t('users.display'), t('me.department'), t('me.roles'), t('me.clearance'),
                     t('me.categories'), t('me.pledge')],
                    res.items.map((u) => h('tr', {dataset: {user: u.username}},
                                           h('td', {class: 'mono'}, u.username), h('td', {}, u.display_name),
                                           h('td', {}, deptLabel(u.department)),
                                           h('td', {}, u.roles.map((r) => roleLabel(r)).join('、')),
                                           h('td', {}, editable(u) ? clearanceForm(u, out) : levelName(u.clearance)),
                                           h('td', {}, editable(u) ? '' : u.categories.map((c) => categoryLabel(c)).join('、')),
                                           h('td', {}, u.pledge_accepted_at ? t('users.pledged') : t('users.not_pledged'))))));
  if (!res.items.length) main.append(notice(t('users.none')));
}
