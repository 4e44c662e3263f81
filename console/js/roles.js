// What the console offers, derived from the roles GET /api/v1/me returns and the policy's
// summary. The server still decides every request; this only keeps the console from offering
// what it would refuse (the three administrators see only their own pages: separation of duties).
import {policy, adminRoles} from './policy.js';

export function isAdmin(user) {
  const admin = adminRoles();
  return user.roles.some((r) => admin.includes(r));
}

export function has(user, role) {
  return user.roles.includes(role);
}

export function isSupervisor(user) {
  const supervisors = policy().organisation.supervisor_roles;
  return user.roles.some((r) => supervisors.includes(r));
}

export function mayCreateDocuments(user) {
  const creators = policy().documents.creator_roles;
  return user.roles.some((r) => creators.includes(r));
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
  ['investigations', 'nav.investigations', (u) => has(u, 'auditor')],
  // S11: secadmin keeps the areas, the auditor reads their logs, staff see the areas they keep.
  ['areas', 'nav.areas', (u) => !isAdmin(u) || has(u, 'secadmin') || has(u, 'auditor')],
  ['users', 'nav.users', (u) => has(u, 'sysadmin') || has(u, 'secadmin')],
  // A2: the sysadmin manages the chart; the security administrator and the auditor read it.
  ['departments', 'nav.departments', (u) => has(u, 'sysadmin') || has(u, 'secadmin') || has(u, 'auditor')],
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
