// Login (lockout shown plainly) and the confidentiality pledge (S2) on first login.
import {h, clear, field} from '../dom.js';
import * as api from '../api.js';
import {t} from '../i18n.js';
import {errorBox, notice, pageTitle} from '../ui.js';

export function renderLogin(main, message, onLoggedIn) {
  const username = h('input', {name: 'username', autocomplete: 'username', required: true,
                               autocapitalize: 'none', spellcheck: 'false'});
  const password = h('input', {name: 'password', type: 'password', autocomplete: 'current-password',
                               required: true});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'login-submit'}, t('login.submit'));
  const out = h('div', {id: 'login-message', 'aria-live': 'polite'});
  if (message) out.append(notice(message));
  const form = h('form', {class: 'card login', id: 'login-form', novalidate: true},
                 pageTitle(t('login.title')),
                 h('p', {class: 'muted'}, t('login.intro')),
                 field(t('login.username'), username), field(t('login.password'), password),
                 submit, out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!username.value.trim() || !password.value) {
      out.append(errorBox({code: 'login_missing'}));
      return;
    }
    submit.disabled = true;
    try {
      const session = await api.json('POST', '/session',
                                     {body: {username: username.value.trim(), password: password.value}});
      password.value = '';
      api.startSession(session.token, session.expires_at);
      await onLoggedIn(session.user);
    } catch (err) {
      password.value = '';
      out.append(errorBox(err));
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  main.append(form);
  username.focus();
}

// S2: the pledge is shown in full and accepted explicitly before anything above public.
export function renderPledge(main, onAccepted, onDecline) {
  const check = h('input', {type: 'checkbox', id: 'pledge-check'});
  const accept = h('button', {type: 'button', class: 'primary', id: 'pledge-accept', disabled: true},
                   t('pledge.accept'));
  const decline = h('button', {type: 'button', id: 'pledge-decline'}, t('pledge.decline'));
  const out = h('div', {'aria-live': 'polite'});
  check.addEventListener('change', () => (accept.disabled = !check.checked));
  accept.addEventListener('click', async () => {
    accept.disabled = true;
    clear(out);
    try {
      onAccepted(await api.post('/me/pledge'));
    } catch (err) {
      out.append(errorBox(err));
      accept.disabled = !check.checked;
    }
  });
  decline.addEventListener('click', onDecline);
  const articles = t('pledge.articles').split('\n').map((line) => h('li', {}, line));
  main.append(h('section', {class: 'card pledge', id: 'pledge'},
                pageTitle(t('pledge.title')),
                h('p', {}, t('pledge.intro')),
                h('ol', {class: 'pledge-text'}, articles),
                h('p', {}, t('pledge.consequence')),
                h('div', {class: 'checkline'}, check, h('label', {for: 'pledge-check'}, t('pledge.check'))),
                h('div', {class: 'actions'}, accept, decline), out));
}
