import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import InvoicePaymentPage from '../InvoicePaymentPage.jsx';
import { callsTo, mockApi, renderRoute } from '../../test/helpers.jsx';
import { redirectTo } from '../../lib/redirect.js';

vi.mock('../../lib/redirect.js', () => ({ redirectTo: vi.fn() }));

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

  it('says the payment was canceled when the checkout sends the client back', async () => {
    mockApi({ [`GET ${PUBLIC_URL}`]: publicInvoice() });
    renderPage(`/pay/${ID}?canceled=1`);
    expect(await screen.findByText('Payment canceled')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pay now' })).toBeInTheDocument();
  });
});
