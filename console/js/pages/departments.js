// Departments (A2: the org chart is data; approval routing follows it). The policy's
// departments are the root and change only with the policy file; the system administrator adds
// departments under any active one, renames them and retires them once empty. The security
// administrator and the auditor read the chart. The server decides (policy actions
// manage_departments, read_departments); the console offers only what it would accept.
import {h, field, table} from '../dom.js';
import * as api from '../api.js';
import {t, label, formatTime} from '../i18n.js';
import {notice, pageTitle, action, currentUser, navigate, personName} from '../ui.js';
import {has} from '../roles.js';
import {departmentLabel} from '../policy.js';

// The active departments, for choosing a parent or an account's department.
export async function activeDepartments() {
  const res = await api.get('/departments');
  return res.items.filter((d) => d.state === 'active');
}

export function departmentName(d) {
  return d.source === 'policy' ? departmentLabel(d.name) : (d.display_name || d.name);
}

function addForm(items) {
  const name = h('input', {id: 'dept-name', maxlength: 64, autocomplete: 'off', pattern: '[A-Za-z0-9._-]+'});
  const display = h('input', {id: 'dept-display', maxlength: 128, autocomplete: 'off'});
  const parent = h('select', {id: 'dept-parent'},
                   items.filter((d) => d.state === 'active')
                       .map((d) => h('option', {value: d.name}, `${departmentName(d)} (${d.name})`)));
  const out = h('div', {'aria-live': 'polite'});
  const submit = action(h('button', {type: 'button', class: 'primary', id: 'dept-add'}, t('depts.add')), out, async () => {
    await api.post('/departments', {name: name.value.trim(), display_name: display.value.trim(), parent: parent.value});
    navigate('departments');
  });
  return h('section', {class: 'card', id: 'dept-new'}, h('h2', {}, t('depts.new')),
           h('p', {class: 'muted'}, t('depts.new_intro')),
           h('div', {class: 'grid'}, field(t('depts.name'), name, t('depts.name_hint')),
             field(t('depts.display'), display), field(t('depts.parent'), parent)),
           submit, out);
}

// The sysadmin's buttons on a department added through the console: rename while active,
// retire when it has no member and no active sub-department.
function manageCell(d, items) {
  if (d.source !== 'added' || d.state !== 'active') return '';
  const out = h('div', {'aria-live': 'polite'});
  const display = h('input', {class: 'dept-rename-input', maxlength: 128, value: d.display_name,
                              'aria-label': t('depts.display')});
  const rename = action(h('button', {type: 'button', class: 'dept-rename'}, t('depts.rename')), out, async () => {
    await api.json('PATCH', `/departments/${encodeURIComponent(d.name)}`, {body: {display_name: display.value.trim()}});
    navigate('departments');
  });
  const children = items.some((c) => c.parent === d.name && c.state === 'active');
  const retire = d.members === 0 && !children
      ? action(h('button', {type: 'button', class: 'danger dept-retire'}, t('depts.retire')), out, async () => {
        await api.post(`/departments/${encodeURIComponent(d.name)}/retire`);
        navigate('departments');
      })
      : h('small', {class: 'muted'}, t('depts.not_empty'));
  return h('div', {class: 'dept-manage'}, display, rename, retire, out);
}

export async function renderDepartments(main) {
  const me = currentUser();
  const res = await api.get('/departments');
  const items = res.items;
  const people = res.people || {};
  const sysadmin = has(me, 'sysadmin');
  const byName = new Map(items.map((d) => [d.name, d]));
  main.append(pageTitle(t('depts.heading')), h('p', {class: 'muted'}, t('depts.intro')));
  if (sysadmin) main.append(addForm(items));
  if (!items.length) return main.append(notice(t('depts.none')));
  main.append(table([t('depts.name'), t('depts.display'), t('depts.parent'), t('depts.source'), t('depts.state'),
                     t('depts.members'), t('depts.changed'), sysadmin ? t('req.actions') : null].filter(Boolean),
                    items.map((d) => h('tr', {class: `dept dept-${d.state}`, dataset: {department: d.name}},
                                       h('td', {class: 'mono'}, d.name), h('td', {}, departmentName(d)),
                                       h('td', {}, d.parent ? departmentName(byName.get(d.parent) || {name: d.parent, source: 'policy'}) : '—'),
                                       h('td', {}, label('dept_source', d.source)),
                                       h('td', {}, h('span', {class: `status dept-state-${d.state}`}, label('dept_state', d.state))),
                                       h('td', {}, String(d.members)),
                                       h('td', {}, d.changed_by ? `${personName(d.changed_by, people)} · ${formatTime(d.updated_at)}` : '—'),
                                       sysadmin ? h('td', {}, manageCell(d, items)) : null))));
}
