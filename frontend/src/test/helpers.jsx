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

// The fields the API derives on the server (its words for a status, the actions it allows, what
// can be refunded, the currency's places), filled in the way the serializers do, so fixtures
// stay as short as the facts a test is about.
const STATUS_WORDS = {
  draft: 'Draft', sent: 'Sent', partially_paid: 'Partially paid', paid: 'Paid', void: 'Void',
  pending: 'Pending', processing: 'Processing', succeeded: 'Succeeded', failed: 'Failed', expired: 'Expired',
  canceled: 'Canceled', partially_refunded: 'Partially refunded', refunded: 'Refunded',
};
const EXPONENTS = { JPY: 0, KRW: 0, KWD: 3, BHD: 3 };
const exponentOf = (currency) => EXPONENTS[currency] ?? 2;
const cents = (amount) => Math.round(Number(amount || 0) * 100);

/** An invoice as the API answers it: status_display, can_* actions, payable, currency_exponent. */
export function apiInvoice(fields) {
  const { status, currency = 'USD' } = fields;
  return {
    status_display: STATUS_WORDS[status],
    currency_exponent: exponentOf(currency),
    can_send: status === 'draft',
    can_delete: status === 'draft',
    can_edit_items: status === 'draft',
    can_edit: status !== 'void',
    can_void: status !== 'draft' && status !== 'void',
    payable: ['sent', 'partially_paid'].includes(status) && cents(fields.amount_due) > 0,
    ...fields,
  };
}

/** A payment as the API answers it: status_display, is_open, is_paid, amount_refundable, can_refund, currency_exponent. */
export function apiPayment(fields) {
  const captured = ['succeeded', 'partially_refunded'].includes(fields.status);
  const left = captured ? Math.max(cents(fields.amount) - cents(fields.amount_refunded), 0) : 0;
  return {
    status_display: STATUS_WORDS[fields.status],
    is_open: ['pending', 'processing'].includes(fields.status),
    is_paid: ['succeeded', 'partially_refunded', 'refunded'].includes(fields.status),
    currency_exponent: exponentOf(fields.currency),
    amount_refundable: (left / 100).toFixed(2),
    can_refund: left > 0,
    ...fields,
    refunds: (fields.refunds || []).map((refund) => ({ status_display: STATUS_WORDS[refund.status], ...refund })),
  };
}
