// The policy values the console offers choices from (levels, categories, roles, departments,
// shifts, unmaskable fields, request limits, the centre's time zone), read once per session
// from GET /api/v1/policy/summary: a local policy's values, never a copy hard-coded here.
// The server still decides every request.
import * as api from './api.js';
import {label} from './i18n.js';

let summary = null;
api.onSessionEnded(() => (summary = null));

export async function loadPolicy() {
  if (!summary) summary = await api.get('/policy/summary');
  return summary;
}

// The summary of this session's policy; pages run only after loadPolicy() (main.js).
export function policy() {
  if (!summary) throw new Error('policy summary not loaded');
  return summary;
}

export function levelNames() {
  return policy().levels.map((l) => l.name);
}

export function levelRank(level) {
  return levelNames().indexOf(level);
}

export function categoryNames() {
  return policy().categories.map((c) => c.name);
}

export function adminRoles() {
  return policy().roles.filter((r) => r.admin).map((r) => r.name);
}

export function businessRoles() {
  return policy().roles.filter((r) => !r.admin).map((r) => r.name);
}

// The most copies and the longest period one request of `type` may ask for at `level`.
export function requestLimits(type, level) {
  return policy().requests[type]?.[level] ?? {max_days: 1};
}

// Names for people: the catalogue's, else the policy's own display name (a department, category
// or role a local policy adds), else the API name.
function displayOf(list, name) {
  return summary ? (list(summary).find((x) => x.name === name)?.display ?? null) : null;
}

export function categoryLabel(name) {
  return label('cat', name, displayOf((s) => s.categories, name));
}

export function departmentLabel(name) {
  return label('dept', name, displayOf((s) => s.organisation.departments, name));
}

export function roleLabel(name) {
  return label('role', name, displayOf((s) => s.roles, name));
}
