// Shared pieces of every page: the signed-in user, the marking banners (S5), error and
// notice boxes, navigation. Pages import these; main.js owns the layout they fill.
import {h, clear} from './dom.js';
import {t, has as hasText, levelName, label} from './i18n.js';
import {levelNames, departmentLabel} from './policy.js';
let banners = [];
let user = null;

export function currentUser() {
  return user;
}

export function setCurrentUser(next) {
  user = next;
}

export function setBanners(elements) {
  banners = elements;
}

export function clearMarking() {
  paint(null);
}

// S5: a page that shows classified content carries its marking at the top and the bottom.
// `marking` is the server's marking string (秘密★2030-12-31) or a level name. `main` is the
// page's own element: a page the user has already left (detached) cannot set the banner of
// the page now shown.
export function setMarking(main, marking, level) {
  if (main.isConnected) paint(marking, level);
}

function paint(marking, level) {
  for (const el of banners) {
    clear(el);
    el.hidden = !marking;
    el.className = `marking-banner level-${level || 'none'}`;
    if (marking) el.append(h('span', {class: 'marking-text'}, marking));
  }
}

// The highest level among `levels`, as a banner for pages that list records of mixed levels.
export function setMarkingForLevels(main, levels) {
  const order = levelNames();  // lowest first, public first
  let top = -1;
  for (const l of levels) top = Math.max(top, order.indexOf(l));
  if (top < 1) return setMarking(main, null);  // nothing above public on the page
  const level = order[top];
  setMarking(main, t('banner.highest', {level: levelName(level)}), level);
}

export function errorText(err) {
  if (!err || !err.code) return t('err.generic');
  // A page may word a refusal for its own context (e.g. the person at a door, not the reader).
  if (err.textKey && hasText(err.textKey)) return t(err.textKey);
  const key = `err.${err.code}`;
  if (hasText(key)) return t(key);
  if (err.status === 403) return t('err.forbidden');
  if (err.status === 404) return t('err.not_found');
  if (err.status === 0) return t('err.network');
  return t('err.generic');
}

// An error shown plainly: what happened in the reader's language, plus the code and the rule
// the server named (useful to a helpdesk), never internals.
export function errorBox(err) {
  const detail = [err && err.code, err && err.rule ? t('err.rule', {rule: err.rule}) : '']
                     .filter(Boolean).join(' · ');
  return h('div', {class: 'error', role: 'alert'}, h('strong', {}, errorText(err)),
           detail ? h('small', {}, ` (${detail})`) : null);
}

export function notice(text) {
  return h('div', {class: 'notice', role: 'status'}, text);
}

export function navigate(route) {
  const target = `#/${route}`;
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

export function link(route, text) {
  return h('a', {href: `#/${route}`}, text);
}

// Wraps an async action behind a button: disables it while running, shows errors in `out`.
export function action(button, out, fn) {
  button.addEventListener('click', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    clear(out);
    try {
      await fn();
    } catch (err) {
      out.append(errorBox(err));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

export function pageTitle(text) {
  return h('h1', {tabindex: '-1', class: 'page-title'}, text);
}

export function shortId(id) {
  return id ? `${id.slice(0, 8)}…` : '';
}

// A person named by a response's `people` map ({id: {username, display_name, department}}):
// "you" for the caller, else "李娜 (li.na, 售后)"; the short id only when the server named no
// account (e.g. "system").
export function personName(id, people) {
  if (user && user.id === id) return t('req.you');
  const p = people && people[id];
  if (!p) return id && id.length > 12 ? shortId(id) : (id || '—');
  return `${p.display_name} (${p.username}, ${departmentLabel(p.department)})`;
}

// The same as an element whose title holds the full id (for auditors comparing ids).
export function personCell(id, people) {
  return h('span', {class: 'person', title: id || ''}, personName(id, people));
}
