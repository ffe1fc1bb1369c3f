import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';

export function sequence(...answers) {
  return { __sequence: answers };
}

export function jsonResponse(status, body) {
  return new Response(body === undefined || status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/**
 * Stubs global fetch with a routing table: {'GET /api/x/': body | {status, body} | (call) => ...}.
 * Keys match method + path (without the query string unless the key has one). A `sequence(...)`
 * is answered in turn, the last one repeating. Unknown requests fail the test loudly.
 */
export function mockApi(routes) {
  const counters = {};
  const fetchMock = vi.fn(async (url, init = {}) => {
    const method = (init.method || 'GET').toUpperCase();
    const full = String(url);
    const path = full.split('?')[0];
    const key = [`${method} ${full}`, `${method} ${path}`].find((k) => k in routes);
    if (!key) throw new Error(`Unexpected request: ${method} ${full}`);
    let answer = routes[key];
    if (answer && answer.__sequence) {
      answer = answer.__sequence;
      const n = counters[key] || 0;
      counters[key] = n + 1;
      answer = answer[Math.min(n, answer.length - 1)];
    }
    if (typeof answer === 'function') {
      answer = await answer({ url: full, method, body: init.body ? JSON.parse(init.body) : undefined, headers: init.headers });
    }
    if (answer instanceof Response) return answer;
    if (answer && typeof answer === 'object' && 'status' in answer && ('body' in answer || answer.status === 204)) {
      return jsonResponse(answer.status, answer.body);
    }
    return jsonResponse(200, answer);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

/** The calls made to `METHOD path`, with parsed JSON bodies. */
export function callsTo(fetchMock, method, path) {
  return fetchMock.mock.calls
    .filter(([url, init = {}]) => (init.method || 'GET').toUpperCase() === method && String(url).split('?')[0] === path)
    .map(([url, init = {}]) => ({ url: String(url), body: init.body ? JSON.parse(init.body) : undefined, headers: init.headers }));
}

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
}

/** Renders `element` at `url`, matched by `path`, with a probe showing where navigation went. */
export function renderRoute(element, { path, url, extraRoutes = null }) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path={path} element={element} />
        {extraRoutes}
        <Route path="*" element={<p>Elsewhere</p>} />
      </Routes>
      <LocationProbe />
    </MemoryRouter>,
  );
}
