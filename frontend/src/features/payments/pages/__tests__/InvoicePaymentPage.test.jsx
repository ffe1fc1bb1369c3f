import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import InvoicePaymentPage from '../InvoicePaymentPage.jsx';
import { apiPayment, callsTo, mockApi, renderRoute, sequence } from '../../../../test/helpers.jsx';
import { redirectTo } from '../../../../lib/redirect.js';

vi.mock('../../../../lib/redirect.js', () => ({ redirectTo: vi.fn() }));

const ID = '7c1a0b5e-1111-4d5e-9f00-000000000001';
const PUBLIC_URL = `/api/payment/public/invoice/${ID}/`;

function publicInvoice(overrides = {}) {
  return {
    invoice_id: ID,
    number: 'INV-0007',
    issuer_name: 'Studio Nord',
    client_name: 'Acme Ltd',
    currency: 'USD',
    items: [
      { description: 'Design work', quantity: '10.00', unit_price: '120.00', amount: '1200.00' },
      { description: 'Hosting', quantity: '1', unit_price: '50.50', amount: '50.50' },
    ],
    total: '1250.50',
    amount_paid: '250.00',
    amount_due: '1000.50',
    status: 'partially_paid',
    due_date: '2026-12-31',
    payable: true,
    allow_partial_payments: false,
    // The API's words for the status and the currency's decimal places.
    status_display: { draft: 'Draft', sent: 'Sent', partially_paid: 'Partially paid', paid: 'Paid', void: 'Void' }[overrides.status || 'partially_paid'],
    currency_exponent: 2,
    ...overrides,
  };
}

function renderPage(url = `/pay/${ID}`) {
  return renderRoute(<InvoicePaymentPage />, { path: '/pay/:invoiceId', url });
}

describe('InvoicePaymentPage', () => {
  it('shows a loading state, then who it is from, the items and the amount due', async () => {
    mockApi({ [`GET ${PUBLIC_URL}`]: publicInvoice() });
    renderPage();
    expect(screen.getByRole('status')).toHaveTextContent(/loading invoice/i);
    expect(await screen.findByRole('heading', { name: 'Studio Nord' })).toBeInTheDocument();
    expect(screen.getByText('Acme Ltd')).toBeInTheDocument();
    expect(screen.getByText('Design work')).toBeInTheDocument();
    expect(screen.getByTestId('amount-due')).toHaveTextContent('$1,000.50');
    expect(screen.getByText('$1,250.50')).toBeInTheDocument();
    expect(screen.queryByLabelText(/amount to pay/i)).not.toBeInTheDocument();
  });

  it('posts the invoice id and sends the client to the checkout', async () => {
    const fetchMock = mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice(),
      'POST /api/payment/create-session/': {
        status: 201,
        body: { payment_id: 'p1', checkout_url: 'http://testserver/sandbox/checkout/s1', status: 'pending', amount: '1000.50', currency: 'USD' },
      },
    });
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: 'Pay now' }));
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith('http://testserver/sandbox/checkout/s1'));
    expect(callsTo(fetchMock, 'POST', '/api/payment/create-session/')[0].body).toEqual({ invoice_id: ID });
  });

  it('offers an amount field defaulting to the due amount when partial payments are allowed', async () => {
    const fetchMock = mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice({ allow_partial_payments: true }),
      'POST /api/payment/create-session/': { status: 201, body: { payment_id: 'p1', checkout_url: '/sandbox/checkout/s1' } },
    });
    renderPage();
    const field = await screen.findByLabelText('Amount to pay (USD)');
    expect(field).toHaveValue('1000.50');
    await userEvent.clear(field);
    await userEvent.type(field, '300.25');
    await userEvent.click(screen.getByRole('button', { name: 'Pay now' }));
    await waitFor(() => expect(redirectTo).toHaveBeenCalledWith('/sandbox/checkout/s1'));
    expect(callsTo(fetchMock, 'POST', '/api/payment/create-session/')[0].body).toEqual({ invoice_id: ID, amount: '300.25' });
  });

  it('refuses an amount above what is due, or with too many decimals, before calling the API', async () => {
    const fetchMock = mockApi({ [`GET ${PUBLIC_URL}`]: publicInvoice({ allow_partial_payments: true }) });
    renderPage();
    const field = await screen.findByLabelText('Amount to pay (USD)');
    await userEvent.clear(field);
    await userEvent.type(field, '2000');
    await userEvent.click(screen.getByRole('button', { name: 'Pay now' }));
    expect(await screen.findByText(/cannot be more than the \$1,000\.50 due/i)).toBeInTheDocument();
    await userEvent.clear(field);
    await userEvent.type(field, '1.001');
    await userEvent.click(screen.getByRole('button', { name: 'Pay now' }));
    expect(await screen.findByText(/at most 2 decimal places/i)).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(callsTo(fetchMock, 'POST', '/api/payment/create-session/')).toHaveLength(0);
  });

  it('explains when the owner has not set up a gateway', async () => {
    mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice(),
      'POST /api/payment/create-session/': { status: 409, body: { code: 'gateway_not_configured', message: 'No gateway.', details: {} } },
    });
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: 'Pay now' }));
    expect(await screen.findByText(/online payment is not available yet/i)).toBeInTheDocument();
    expect(screen.getByText(/Studio Nord has not set up online payments/i)).toBeInTheDocument();
    expect(redirectTo).not.toHaveBeenCalled();
  });

  it('shows the message of any other error', async () => {
    mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice(),
      'POST /api/payment/create-session/': { status: 502, body: { code: 'gateway_error', message: 'The card processor is down.', details: {} } },
    });
    renderPage();
    await userEvent.click(await screen.findByRole('button', { name: 'Pay now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The card processor is down.');
    expect(screen.getByRole('button', { name: 'Pay now' })).toBeEnabled();
  });

  it.each([
    ['paid', /paid in full/i],
    ['void', /has been canceled/i],
    ['draft', /not ready for payment yet/i],
  ])('explains a %s invoice and offers no payment', async (status, text) => {
    mockApi({ [`GET ${PUBLIC_URL}`]: publicInvoice({ status, payable: false, amount_due: status === 'paid' ? '0.00' : '1250.50' }) });
    renderPage();
    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Pay now' })).not.toBeInTheDocument();
  });

  it('says when the invoice does not exist', async () => {
    mockApi({ [`GET ${PUBLIC_URL}`]: { status: 404, body: { code: 'not_found', message: 'Not found.', details: {} } } });
    renderPage();
    expect(await screen.findByText('Invoice not found')).toBeInTheDocument();
  });

  it('shows a loading error with a retry', async () => {
    mockApi({ [`GET ${PUBLIC_URL}`]: { status: 429, body: { code: 'throttled', message: 'Slow down, please.', details: {} } } });
    renderPage();
    expect(await screen.findByText('Slow down, please.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  // The checkout sends the client back to /pay/<id>?payment=<id> whatever happened: the page
  // must say what the payment's status says, never what the URL claims.
  const STATUS_URL = '/api/payment/status/p9/';
  const status = (overrides) => apiPayment({ payment_id: 'p9', invoice_id: ID, amount: '1000.50', currency: 'USD', failure_message: '', ...overrides });

  it('says a declined card was declined, with the provider\'s reason, even on a "canceled" URL', async () => {
    mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice(),
      [`GET ${STATUS_URL}`]: status({ status: 'failed', failure_message: 'The card was declined.' }),
    });
    renderPage(`/pay/${ID}?canceled=1&payment=p9`);
    expect(await screen.findByText('Your payment did not go through')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The card was declined.');
    expect(screen.getByRole('alert')).toHaveTextContent('No money was taken.');
    expect(screen.queryByText('Payment canceled')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pay now' })).toBeEnabled();
  });

  it('treats a declined attempt in a checkout still open as declined', async () => {
    mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice(),
      [`GET ${STATUS_URL}`]: status({ status: 'pending', failure_message: 'Your card has insufficient funds.' }),
    });
    renderPage(`/pay/${ID}?payment=p9`);
    expect(await screen.findByText('Your payment did not go through')).toBeInTheDocument();
    expect(screen.getByText('Your card has insufficient funds.')).toBeInTheDocument();
  });

  it.each([
    ['canceled', 'Payment canceled'],
    ['expired', 'The checkout expired'],
    ['processing', 'Your payment is processing'],
  ])('says a %s payment is %s', async (paymentStatus, title) => {
    mockApi({ [`GET ${PUBLIC_URL}`]: publicInvoice(), [`GET ${STATUS_URL}`]: status({ status: paymentStatus }) });
    renderPage(`/pay/${ID}?payment=p9`);
    expect(await screen.findByText(title)).toBeInTheDocument();
  });

  it('follows a payment still open until the webhook decides', async () => {
    const fetchMock = mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice(),
      [`GET ${STATUS_URL}`]: sequence(status({ status: 'pending' }), status({ status: 'failed', failure_message: 'The card was declined.' })),
    });
    renderPage(`/pay/${ID}?payment=p9`);
    expect(await screen.findByText('You left the checkout before paying')).toBeInTheDocument();
    expect(await screen.findByText('The card was declined.', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(callsTo(fetchMock, 'GET', STATUS_URL)).toHaveLength(2);
  });

  it('shows a payment that went through, and the invoice as it is now', async () => {
    const fetchMock = mockApi({
      [`GET ${PUBLIC_URL}`]: sequence(publicInvoice(), publicInvoice({ status: 'paid', payable: false, amount_paid: '1250.50', amount_due: '0.00' })),
      [`GET ${STATUS_URL}`]: status({ status: 'succeeded' }),
    });
    renderPage(`/pay/${ID}?canceled=1&payment=p9`);
    expect(await screen.findByText('Payment received. Thank you!')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('amount-due')).toHaveTextContent('$0.00'));
    expect(callsTo(fetchMock, 'GET', PUBLIC_URL)).toHaveLength(2);
  });

  it('says nothing about a payment on a bare "canceled" URL, nor about another invoice\'s payment', async () => {
    const fetchMock = mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice(),
      [`GET ${STATUS_URL}`]: status({ status: 'canceled', invoice_id: 'someone-else' }),
    });
    renderPage(`/pay/${ID}?canceled=1`);
    expect(await screen.findByRole('button', { name: 'Pay now' })).toBeInTheDocument();
    expect(screen.queryByText('Payment canceled')).not.toBeInTheDocument();
    expect(callsTo(fetchMock, 'GET', STATUS_URL)).toHaveLength(0);
  });

  it('shows credits and refunds plainly', async () => {
    mockApi({
      [`GET ${PUBLIC_URL}`]: publicInvoice({
        status: 'partially_paid',
        total: '319.99',
        amount_paid: '200.00',
        amount_refunded: '119.99',
        amount_credited: '100.00',
        amount_due: '19.99',
        refunds: [
          { amount: '100.00', currency: 'USD', status: 'succeeded', invoice_effect: 'credit', created_at: '2026-11-20T10:00:00Z' },
          { amount: '19.99', currency: 'USD', status: 'pending', invoice_effect: 'reopen', created_at: '2026-11-21T10:00:00Z' },
        ],
      }),
    });
    renderPage();
    const refunds = await screen.findByRole('list', { name: 'Refunds' });
    expect(refunds).toHaveTextContent(/Refunded to you: \$100\.00 on .*2026, taken off this invoice\./);
    expect(refunds).toHaveTextContent('A refund of $19.99 is on its way to you, added back to the amount due.');
    expect(screen.getByText('Credited to you').nextSibling).toHaveTextContent('$100.00');
    expect(screen.getByText('Paid, less refunds').nextSibling).toHaveTextContent('$200.00');
    expect(screen.getByTestId('amount-due')).toHaveTextContent('$19.99');
  });

  it('has no "from" line when the sender has no name', async () => {
    mockApi({ [`GET ${PUBLIC_URL}`]: publicInvoice({ issuer_name: '' }) });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Invoice INV-0007' })).toBeInTheDocument();
    expect(screen.queryByText('Invoice from')).not.toBeInTheDocument();
    expect(screen.queryByText('Credited to you')).not.toBeInTheDocument();
  });
});
