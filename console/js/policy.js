// The policy values the console offers choices from (levels, categories, roles, departments,
// shifts, unmaskable fields, request limits, the centre's time zone), read once per session
// from GET /api/v1/policy/summary: a local policy's values, never a copy hard-coded here.
// The server still decides every request.
import * as api from './api.js';

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
