// What the console offers, derived from the roles GET /api/v1/me returns. The server still
// decides every request; this only keeps the console from offering what it would refuse
// (the three administrators see only their own pages: separation of duties).
const ADMIN = ['sysadmin', 'secadmin', 'auditor'];
const SUPERVISORS = ['group_leader', 'supervisor', 'manager'];

export function isAdmin(user) {
  return user.roles.some((r) => ADMIN.includes(r));
}

export function has(user, role) {
  return user.roles.includes(role);
}

export function isSupervisor(user) {
  return user.roles.some((r) => SUPERVISORS.includes(r));
}

// Pages in navigation order: [route, catalogue key, who sees it].
const PAGES = [
  ['documents', 'nav.documents', (u) => !isAdmin(u)],
  ['requests', 'nav.requests', (u) => !isAdmin(u) || has(u, 'auditor')],
  ['queue', 'nav.queue', (u) => !isAdmin(u) || has(u, 'secadmin')],
  ['copies', 'nav.copies', (u) => !isAdmin(u)],
  ['handovers', 'nav.handovers', (u) => !isAdmin(u) || has(u, 'secadmin') || has(u, 'auditor')],
  ['customers', 'nav.customers', (u) => !isAdmin(u)],
  ['weekly', 'nav.weekly', (u) => !isAdmin(u)],
  ['reports', 'nav.reports', (u) => isSupervisor(u)],
  ['audit', 'nav.audit', (u) => has(u, 'auditor')],
  ['alerts', 'nav.alerts', (u) => has(u, 'auditor') || has(u, 'secadmin') || has(u, 'custodian')],
  ['incidents', 'nav.incidents', (u) => !has(u, 'sysadmin')],
  ['users', 'nav.users', (u) => has(u, 'sysadmin') || has(u, 'secadmin')],
  ['me', 'nav.me', () => true],
];

export function pagesFor(user) {
  return PAGES.filter(([, , allowed]) => allowed(user)).map(([route, key]) => ({route, key}));
}

export function mayOpen(user, route) {
  return pagesFor(user).some((p) => p.route === route);
}

export function homeOf(user) {
  if (has(user, 'auditor')) return 'audit';
  if (isAdmin(user)) return 'users';
  return 'documents';
}
