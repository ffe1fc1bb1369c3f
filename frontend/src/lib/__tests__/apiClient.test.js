import { describe, expect, it } from 'vitest';
import { ApiError, api, apiRequest, fieldError, rowsOf } from '../apiClient.js';
import { callsTo, jsonResponse, mockApi } from '../../test/helpers.jsx';

describe('apiClient', () => {
  it('sends JSON with the session cookie and the CSRF token on unsafe methods', async () => {
    document.cookie = 'csrftoken=abc123';
    const fetchMock = mockApi({ 'POST /api/invoices/': { status: 201, body: { id: 'inv-1' } } });

    const data = await api.post('/api/invoices/', { client_name: 'Ada' });

    expect(data).toEqual({ id: 'inv-1' });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/invoices/');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers['X-CSRFToken']).toBe('abc123');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body)).toEqual({ client_name: 'Ada' });
  });

  it('does not send the CSRF header on GET and adds query parameters', async () => {
    document.cookie = 'csrftoken=abc123';
    const fetchMock = mockApi({ 'GET /api/invoices/': { count: 0, results: [] } });

    await api.get('/api/invoices/', { query: { page: 2, page_size: undefined } });

    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/invoices/?page=2');
    expect(init.headers['X-CSRFToken']).toBeUndefined();
    expect(init.credentials).toBe('same-origin');
  });

  it('sends the CSRF header on PATCH, PUT and DELETE too', async () => {
    document.cookie = 'csrftoken=tok';
    const fetchMock = mockApi({
      'PATCH /api/x/': {},
      'PUT /api/x/': {},
      'DELETE /api/x/': { status: 204 },
    });
    await api.patch('/api/x/', {});
    await api.put('/api/x/', {});
    expect(await api.delete('/api/x/')).toBeNull();
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      expect(callsTo(fetchMock, method, '/api/x/')[0].headers['X-CSRFToken']).toBe('tok');
    }
  });

  it('turns a contract error body into an ApiError with code, message, details and status', async () => {
    mockApi({
      'POST /api/payment/create-session/': {
        status: 409,
        body: { code: 'gateway_not_configured', message: 'The owner has no active gateway.', details: { hint: 'x' } },
      },
    });

    const error = await api.post('/api/payment/create-session/', { invoice_id: '1' }).catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('gateway_not_configured');
    expect(error.message).toBe('The owner has no active gateway.');
    expect(error.details).toEqual({ hint: 'x' });
    expect(error.status).toBe(409);
  });

  it('maps validation details so fields can show their messages', async () => {
    mockApi({
      'POST /api/invoices/': { status: 400, body: { code: 'invalid', message: 'Invalid input.', details: { client_name: ['This field is required.'] } } },
    });
    const error = await api.post('/api/invoices/', {}).catch((e) => e);
    expect(fieldError(error, 'client_name')).toBe('This field is required.');
    expect(fieldError(error, 'currency')).toBe('');
  });

  it('gives a readable error when the body is not the contract shape', async () => {
    mockApi({ 'GET /api/x/': () => new Response('<h1>Bad gateway</h1>', { status: 502 }) });
    const error = await apiRequest('/api/x/').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.code).toBe('server_error');
    expect(error.message).toMatch(/payment provider|try again/i);
  });

  it('reports a network failure as status 0', async () => {
    mockApi({
      'GET /api/x/': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const error = await apiRequest('/api/x/').catch((e) => e);
    expect(error.code).toBe('network_error');
    expect(error.status).toBe(0);
  });

  it('returns null for an empty success', async () => {
    mockApi({ 'POST /api/auth/logout/': () => jsonResponse(204) });
    expect(await api.post('/api/auth/logout/')).toBeNull();
  });

  it('reads rows from paginated and bare lists', () => {
    expect(rowsOf([1])).toEqual([1]);
    expect(rowsOf({ results: [2] })).toEqual([2]);
    expect(rowsOf(null)).toEqual([]);
  });
});
