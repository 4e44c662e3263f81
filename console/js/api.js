// The one way the console talks to the server. The session token lives only in this module's
// memory: never in localStorage, sessionStorage, a cookie or a URL. A reload forgets it and
// asks for the password again (docs/console.md, threat-model.md).
let token = null;
let expiresAt = null;
const endedListeners = [];

export class ApiError extends Error {
  constructor(status, code, message, rule) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.rule = rule || '';
  }
}

export function startSession(newToken, expires) {
  token = newToken;
  expiresAt = expires ? new Date(expires) : null;
}

export function hasSession() {
  return token !== null;
}

export function sessionExpiresAt() {
  return expiresAt;
}

// Forgets the token locally; listeners return the page to the login form with `reason`.
export function endSession(reason) {
  if (token === null) return;
  token = null;
  expiresAt = null;
  for (const fn of endedListeners) fn(reason);
}

export function onSessionEnded(fn) {
  endedListeners.push(fn);
}

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const e = body && body.error ? body.error : {};
  return new ApiError(res.status, e.code || `http_${res.status}`, e.message || '', e.rule);
}

// Sends one request; returns the fetch Response for 2xx, throws ApiError otherwise. A 401 on a
// request that carried a token means the server ended the session (expiry, logout, lock).
export async function send(method, path, {body, query, raw} = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let url = `/api/v1${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  const hadToken = token !== null;
  let res;
  try {
    res = await fetch(url, {method, headers, body: payload, cache: 'no-store',
                            credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer'});
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (res.ok) return res;
  const err = await errorOf(res);
  if (res.status === 401 && hadToken) endSession('expired');
  throw err;
}

export async function json(method, path, options) {
  const res = await send(method, path, options);
  if (res.status === 204) return null;
  return res.json();
}

export const get = (path, query) => json('GET', path, {query});
export const post = (path, body) => json('POST', path, {body: body ?? {}});
export const put = (path, body) => json('PUT', path, {body});
export const del = (path) => json('DELETE', path, {});

function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

// Uploads a File as a request body (a document's content, a leaked artifact). The browser
// streams the file from disk (nothing is read into memory here); onProgress(loaded, total)
// drives a progress bar. XMLHttpRequest, because fetch() reports no upload progress.
export function upload(path, file, onProgress, {method = 'PUT', contentType, query} = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const hadToken = token !== null;
    xhr.open(method, `/api/v1${withQuery(path, query)}`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', contentType || file.type || 'application/octet-stream');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const e = body && body.error ? body.error : {};
      if (xhr.status === 401 && hadToken) endSession('expired');
      reject(new ApiError(xhr.status, e.code || `http_${xhr.status}`, e.message || '', e.rule));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', '')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', '')));
    xhr.send(file);
  });
}
