import { describe, expect, it } from 'vitest';
import * as invoices from '../invoiceService.js';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

describe('invoiceService', () => {
  it('lists a page of invoices', async () => {
    const fetchMock = mockApi({ 'GET /api/invoices/': { count: 0, results: [] } });
    await invoices.listInvoices({ page: 3, pageSize: 20 });
    await invoices.listInvoices();
    expect(fetchMock.mock.calls[0][0]).toBe('/api/invoices/?page=3&page_size=20');
    expect(fetchMock.mock.calls[1][0]).toBe('/api/invoices/');
  });

  it('creates, updates, sends, voids and deletes', async () => {
    const fetchMock = mockApi({
      'POST /api/invoices/': { status: 201, body: { id: 'i1' } },
      'GET /api/invoices/i1/': { id: 'i1' },
      'PATCH /api/invoices/i1/': { id: 'i1' },
      'POST /api/invoices/i1/send/': { id: 'i1', status: 'sent' },
      'POST /api/invoices/i1/void/': { id: 'i1', status: 'void' },
      'DELETE /api/invoices/i1/': { status: 204 },
    });
    await invoices.createInvoice({ client_name: 'Ada' });
    await invoices.getInvoice('i1');
    await invoices.updateInvoice('i1', { client_name: 'Grace' });
    expect((await invoices.sendInvoice('i1')).status).toBe('sent');
    expect((await invoices.voidInvoice('i1')).status).toBe('void');
    expect(await invoices.deleteInvoice('i1')).toBeNull();
    expect(callsTo(fetchMock, 'PATCH', '/api/invoices/i1/')[0].body).toEqual({ client_name: 'Grace' });
  });
});
