// The page's only way to the server: every request carries the key the reviewer typed in,
// which lives in sessionStorage (gone when the tab closes, never in a cookie or the URL).

const KEY = 'dreamwork.apiKey';
const REVIEWER = 'dreamwork.reviewer';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}
export function setApiKey(key) {
  sessionStorage.setItem(KEY, key);
}
export function forgetApiKey() {
  sessionStorage.removeItem(KEY);
}

/** The reviewer's name, remembered for the next action in this tab. */
export function reviewerName() {
  return sessionStorage.getItem(REVIEWER) ?? '';
}
export function setReviewerName(name) {
  sessionStorage.setItem(REVIEWER, name);
}

export class ApiError extends Error {
  constructor(status, type, message, code) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
  }
}

/** Listeners told when the key was refused, so the app can ask for it again. */
const onUnauthorized = new Set();
export function whenUnauthorized(fn) {
  onUnauthorized.add(fn);
}

/** Build a query string; arrays go as name[]=a&name[]=b, the way the SDK sends them. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) u.append(`${k}[]`, x);
    else u.append(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** fetch + JSON + the API's error shape turned into an ApiError with the server's message. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'x-api-key': apiKey() ?? '', accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below with the status
  }
  if (!res.ok) {
    const err = json?.error;
    const e = new ApiError(res.status, err?.type ?? 'api_error', err?.message ?? `${res.status} ${res.statusText}`, err?.code);
    if (res.status === 401) for (const fn of onUnauthorized) fn(e);
    throw e;
  }
  return json;
}

/** Every item of a /v1 list, following next_page (for the versions and stores lists). */
export async function listAll(path, params = {}, max = 5000) {
  const out = [];
  let page;
  do {
    const res = await api(path + qs({ ...params, page }));
    out.push(...res.data);
    page = res.next_page;
  } while (page && out.length < max);
  return out;
}
