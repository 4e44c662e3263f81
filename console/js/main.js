// The console's shell: login or layout, hash routes (#/documents/ID: ids only, never titles or
// search terms in the URL), the idle timer and the end of a session.
import {h, clear} from './dom.js';
import * as api from './api.js';
import {t, language, languages, setLanguage, onLanguageChange} from './i18n.js';
import {pagesFor, mayOpen, homeOf} from './roles.js';
import * as ui from './ui.js';
import {renderLogin, renderPledge} from './pages/login.js';
import {renderMe} from './pages/me.js';
import {renderDocuments, renderDocument} from './pages/documents.js';
import {renderRequests, renderRequest, renderQueue} from './pages/requests.js';
import {renderCopies} from './pages/copies.js';
import {renderHandovers, renderHandover} from './pages/handovers.js';
import {renderCustomers, renderCustomer} from './pages/customers.js';
import {renderWeekly, renderReports} from './pages/weekly.js';
import {renderAudit, renderAlerts} from './pages/audit.js';
import {renderUsers} from './pages/users.js';
import {renderIncidents} from './pages/incidents.js';
import {renderInvestigations, renderInvestigation} from './pages/investigations.js';
import {renderAuditAt} from './pages/audit.js';
import {renderAreas, renderArea} from './pages/areas.js';
import {renderDepartments} from './pages/departments.js';
import {loadPolicy, policy} from './policy.js';

// The console's own idle limit, shortened when the policy's sessions.idle_timeout is shorter.
const CONSOLE_IDLE_MINUTES = 15;
const root = document.getElementById('app');
let loginMessage = null;
let idleTimer = null;
let expiryTimer = null;

const ROUTES = {
  me: renderMe,
  documents: renderDocuments,
  requests: renderRequests,
  queue: renderQueue,
  copies: renderCopies,
  handovers: renderHandovers,
  customers: renderCustomers,
  weekly: renderWeekly,
  reports: renderReports,
  audit: renderAudit,
  alerts: renderAlerts,
  incidents: renderIncidents,
  investigations: renderInvestigations,
  users: renderUsers,
  areas: renderAreas,
  departments: renderDepartments,
};
const DETAIL_ROUTES = {
  documents: renderDocument,
  requests: renderRequest,
  handovers: renderHandover,
  customers: renderCustomer,
  investigations: renderInvestigation,
  audit: renderAuditAt,
  areas: renderArea,
};

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return {route: parts[0] || '', id: parts[1] || null};
}

function languageSwitch() {
  const select = h('select', {id: 'lang', 'aria-label': t('app.language')},
                   languages().map((l) => h('option', {value: l, selected: l === language()},
                                            t(`lang.${l}`))));
  select.addEventListener('change', () => setLanguage(select.value));
  return select;
}

function showLogin() {
  ui.setCurrentUser(null);
  clear(root);
  const main = h('main', {class: 'login-page', id: 'main'});
  root.append(h('header', {class: 'topbar'}, h('span', {class: 'brand'}, t('app.name')),
                h('span', {class: 'spacer'}), languageSwitch()),
              main);
  renderLogin(main, loginMessage, onLoggedIn);
  loginMessage = null;
}

async function onLoggedIn(user) {
  await loadPolicy();
  ui.setCurrentUser(user);
  armTimers();
  if (!user.pledge_accepted_at) return showPledge();
  openFirstPage(user);
}

// S2: until the pledge is accepted, no page opens, whatever the address says.
function showPledge() {
  clear(root);
  const main = h('main', {class: 'login-page', id: 'main'});
  root.append(h('header', {class: 'topbar'}, h('span', {class: 'brand'}, t('app.name')),
                h('span', {class: 'spacer'}), languageSwitch()), main);
  renderPledge(main, (accepted) => {
    ui.setCurrentUser(accepted);
    openFirstPage(accepted);
  }, logout);
}

// After login: the page in the address bar when this user may open it (a session that ended
// mid-task resumes there), else the user's home page.
function openFirstPage(user) {
  const {route: name} = parseHash();
  if (name && mayOpen(user, name)) return route();
  location.hash = `#/${homeOf(user)}`;  // the hashchange renders it
}

async function logout() {
  try {
    await api.del('/session');
  } catch {
    // The token is forgotten below whatever the server answered.
  }
  loginMessage = t('login.logged_out');
  api.endSession('logout');
}

function armTimers() {
  clearTimeout(expiryTimer);
  const expires = api.sessionExpiresAt();
  if (expires) {
    const ms = Math.max(0, expires.getTime() - Date.now());
    expiryTimer = setTimeout(() => api.endSession('expired'), Math.min(ms, 2 ** 31 - 1));
  }
  resetIdle();
}

function idleMinutes() {
  const policyIdle = policy().sessions.idle_timeout_seconds;
  return policyIdle ? Math.min(CONSOLE_IDLE_MINUTES, Math.max(1, Math.floor(policyIdle / 60)))
                    : CONSOLE_IDLE_MINUTES;
}

function resetIdle() {
  clearTimeout(idleTimer);
  if (!api.hasSession()) return;
  const minutes = idleMinutes();
  idleTimer = setTimeout(async () => {
    loginMessage = t('login.idle', {minutes});
    try {
      await api.del('/session');
    } catch {
      // Ended locally in any case.
    }
    api.endSession('idle');
  }, minutes * 60 * 1000);
}

function layout(user, current) {
  clear(root);
  const top = h('div', {class: 'marking-banner', hidden: true, role: 'note', id: 'marking-top'});
  const bottom = h('div', {class: 'marking-banner', hidden: true, role: 'note', id: 'marking-bottom'});
  ui.setBanners([top, bottom]);
  const nav = h('nav', {'aria-label': t('nav.label'), id: 'nav'},
                h('ul', {}, pagesFor(user).map((p) => h('li', {},
                    h('a', {href: `#/${p.route}`, 'aria-current': p.route === current ? 'page' : null,
                            id: `nav-${p.route}`}, t(p.key))))));
  const logoutButton = h('button', {type: 'button', id: 'logout', class: 'link'}, t('app.logout'));
  logoutButton.addEventListener('click', logout);
  const main = h('main', {id: 'main'});
  root.append(
      h('a', {href: '#main', class: 'skip'}, t('app.skip')),
      h('div', {class: 'masthead'}, top,
        h('header', {class: 'topbar'}, h('span', {class: 'brand'}, t('app.name')),
          h('span', {class: 'spacer'}),
          h('span', {class: 'who', id: 'who'}, `${user.display_name} (${user.username})`),
          languageSwitch(), logoutButton)),
      h('div', {class: 'body'}, nav, main),
      bottom);
  return main;
}

async function route() {
  const user = ui.currentUser();
  if (!api.hasSession() || !user) return showLogin();
  if (!user.pledge_accepted_at) return showPledge();
  const {route: name, id} = parseHash();
  const main = layout(user, name);
  ui.clearMarking();
  if (!mayOpen(user, name) || !ROUTES[name]) {
    main.append(ui.pageTitle(t('app.not_allowed_title')),
                ui.notice(t('app.not_allowed')));
    return;
  }
  const render = id ? DETAIL_ROUTES[name] : ROUTES[name];
  if (!render) {
    main.append(ui.notice(t('err.not_found')));
    return;
  }
  try {
    await render(main, id);
  } catch (err) {
    if (api.hasSession()) main.append(ui.errorBox(err));
  }
  const heading = main.querySelector('h1');
  if (heading) heading.focus({preventScroll: true});
}

api.onSessionEnded((reason) => {
  clearTimeout(idleTimer);
  clearTimeout(expiryTimer);
  if (reason === 'expired') loginMessage = t('login.expired');
  // The next person at this computer starts from their own home page, not from ours.
  if (reason !== 'expired') history.replaceState(null, '', location.pathname);
  ui.clearMarking();
  showLogin();
});
window.addEventListener('hashchange', route);
for (const ev of ['keydown', 'pointerdown']) window.addEventListener(ev, resetIdle, {passive: true});
onLanguageChange(() => (api.hasSession() && ui.currentUser() ? route() : showLogin()));
showLogin();
