/**
 * The one fetch wrapper of the app: JSON in and out, the session cookie, Django's CSRF header on
 * unsafe methods, and every failure turned into an ApiError carrying the contract's
 * `{code, message, details}` plus the HTTP status.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

let unauthorizedHandler = null;

/** The signed-in app registers this so an expired session anywhere sends the user to sign in. */
export function setUnauthorizedHandler(handler) {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

export class ApiError extends Error {
  constructor({ code, message, details, status }) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details || {};
    this.status = status;
  }
}

export function getCookie(name) {
  if (typeof document === 'undefined' || !document.cookie) return null;
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

const FALLBACK_MESSAGES = {
  400: 'The request was not accepted.',
  401: 'Please sign in to continue.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That is not possible right now.',
  429: 'Too many requests. Please wait a moment and try again.',
  502: 'The payment provider did not answer. Please try again.',
};

function fallbackCode(status) {
  if (status === 401) return 'not_authenticated';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  return status >= 500 ? 'server_error' : 'error';
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { __text: text };
  }
}

/**
 * Calls the API and resolves to the parsed JSON body (null for an empty body).
 * @param {string} path  e.g. '/api/invoices/'
 * @param {{method?: string, body?: unknown, query?: Record<string, unknown>, signal?: AbortSignal}} [options]
 */
export async function apiRequest(path, { method = 'GET', body, query, signal } = {}) {
  const upper = method.toUpperCase();
  const headers = { Accept: 'application/json' };
  // A FormData body (a file upload) is sent as multipart: the browser sets its boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (!SAFE_METHODS.has(upper)) {
    const token = getCookie('csrftoken');
    if (token) headers['X-CSRFToken'] = token;
  }
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }

  let response;
  try {
    response = await fetch(url, {
      method: upper,
      headers,
      credentials: 'same-origin',
      body: body === undefined || form ? body : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error && error.name === 'AbortError') throw error;
    throw new ApiError({
      code: 'network_error',
      message: 'Could not reach the server. Check your connection and try again.',
      details: {},
      status: 0,
    });
  }

  const data = await readBody(response);
  if (response.ok) return data && data.__text !== undefined ? null : data;

  if (response.status === 401 && unauthorizedHandler && !path.startsWith('/api/auth/')) unauthorizedHandler();
  const isContractError = data && typeof data === 'object' && typeof data.code === 'string';
  throw new ApiError({
    code: isContractError ? data.code : fallbackCode(response.status),
    message:
      (isContractError && data.message) ||
      (data && typeof data.detail === 'string' && data.detail) ||
      FALLBACK_MESSAGES[response.status] ||
      `Something went wrong (HTTP ${response.status}).`,
    details: isContractError && data.details && typeof data.details === 'object' ? data.details : {},
    status: response.status,
  });
}

export const api = {
  get: (path, options) => apiRequest(path, { ...options, method: 'GET' }),
  post: (path, body, options) => apiRequest(path, { ...options, method: 'POST', body }),
  put: (path, body, options) => apiRequest(path, { ...options, method: 'PUT', body }),
  patch: (path, body, options) => apiRequest(path, { ...options, method: 'PATCH', body }),
  delete: (path, options) => apiRequest(path, { ...options, method: 'DELETE' }),
};

/** Lists may come paginated ({results}) or bare; pages only care about the rows. */
export function rowsOf(data) {
  if (Array.isArray(data)) return data;
  if (data && Array.isArray(data.results)) return data.results;
  return [];
}

/** A field's messages from an ApiError's details, joined into one sentence (or ''). */
export function fieldError(error, field) {
  if (!error || !error.details) return '';
  return messagesOf(error.details[field]).join(' ');
}

export function messagesOf(value) {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? [v] : []));
  return [];
}
