import { describe, expect, it } from 'vitest';
import * as payments from '../paymentService.js';
import { callsTo, mockApi } from '../../../../test/helpers.jsx';

describe('paymentService', () => {
  it('creates a checkout session with the invoice id and, when given, the amount', async () => {
    const fetchMock = mockApi({ 'POST /api/payment/create-session/': { status: 201, body: { payment_id: 'p1', checkout_url: '/sandbox/checkout/s1' } } });
    const session = await payments.createSession({ invoiceId: 'inv-1' });
    await payments.createSession({ invoiceId: 'inv-1', amount: '25.00' });
    expect(session.checkout_url).toBe('/sandbox/checkout/s1');
    const calls = callsTo(fetchMock, 'POST', '/api/payment/create-session/');
    expect(calls[0].body).toEqual({ invoice_id: 'inv-1' });
    expect(calls[1].body).toEqual({ invoice_id: 'inv-1', amount: '25.00' });
  });

  it('reads a payment status and a public invoice', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/status/p1/': { payment_id: 'p1', status: 'succeeded' },
      'GET /api/payment/public/invoice/inv-1/': { invoice_id: 'inv-1', amount_due: '0.00' },
    });
    expect((await payments.getPaymentStatus('p1')).status).toBe('succeeded');
    expect((await payments.getPublicInvoice('inv-1')).amount_due).toBe('0.00');
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('refunds with an amount, reason and effect on the invoice, or with an empty body for the rest', async () => {
    const fetchMock = mockApi({ 'POST /api/payment/refund/p1/': { status: 201, body: { refund_id: 'r1' } } });
    await payments.refundPayment('p1', { amount: '10.00', reason: 'Damaged', invoiceEffect: 'reopen' });
    await payments.refundPayment('p1');
    const calls = callsTo(fetchMock, 'POST', '/api/payment/refund/p1/');
    expect(calls[0].body).toEqual({ amount: '10.00', reason: 'Damaged', invoice_effect: 'reopen' });
    expect(calls[1].body).toEqual({});
  });

  it('lists every payment of an invoice, reading the pages in turn', async () => {
    const url = '/api/payment/invoice/inv-1/payments/';
    const fetchMock = mockApi({
      [`GET ${url}?page=1&page_size=100`]: { count: 3, next: `http://x${url}?page=2&page_size=100`, previous: null, results: [{ payment_id: 'p1' }, { payment_id: 'p2' }] },
      [`GET ${url}?page=2&page_size=100`]: { count: 3, next: null, previous: `http://x${url}?page_size=100`, results: [{ payment_id: 'p3' }] },
    });
    expect(await payments.listInvoicePayments('inv-1')).toEqual([{ payment_id: 'p1' }, { payment_id: 'p2' }, { payment_id: 'p3' }]);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
