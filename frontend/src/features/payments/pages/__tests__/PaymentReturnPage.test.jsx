import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import PaymentReturnPage from '../PaymentReturnPage.jsx';
import { apiPayment, callsTo, mockApi, renderRoute, sequence } from '../../../../test/helpers.jsx';

const ID = 'inv-1';
const STATUS_URL = '/api/payment/status/pay-1/';
const payment = (status) => apiPayment({ payment_id: 'pay-1', invoice_id: ID, status, amount: '400.00', amount_refunded: '0.00', currency: 'EUR' });
const invoice = (overrides = {}) => ({
  invoice_id: ID,
  number: 'INV-0001',
  issuer_name: 'Studio Nord',
  client_name: 'Acme',
  currency: 'EUR',
  items: [],
  total: '1000.00',
  amount_paid: '400.00',
  amount_due: '600.00',
  status: 'partially_paid',
  payable: true,
  allow_partial_payments: true,
  ...overrides,
});

function renderPage(props = {}, url = `/pay/${ID}/return?payment=pay-1`) {
  return renderRoute(<PaymentReturnPage pollInterval={5} {...props} />, { path: '/pay/:invoiceId/return', url });
}

describe('PaymentReturnPage', () => {
  it('polls the payment until it succeeds, then shows the new balance', async () => {
    const fetchMock = mockApi({
      [`GET ${STATUS_URL}`]: sequence(payment('pending'), payment('processing'), payment('succeeded')),
      [`GET /api/payment/public/invoice/${ID}/`]: invoice(),
    });
    renderPage();
    expect(screen.getByText(/confirming your payment/i)).toBeInTheDocument();
    expect(await screen.findByText('Payment received. Thank you!')).toBeInTheDocument();
    expect(screen.getByText(/We received €400\.00/)).toBeInTheDocument();
    expect(callsTo(fetchMock, 'GET', STATUS_URL)).toHaveLength(3);
    expect(await screen.findByText('Still due')).toBeInTheDocument();
    expect(screen.getByText('€600.00')).toBeInTheDocument();
  });

  it('says when the invoice is now paid in full', async () => {
    mockApi({
      [`GET ${STATUS_URL}`]: payment('succeeded'),
      [`GET /api/payment/public/invoice/${ID}/`]: invoice({ status: 'paid', amount_due: '0.00', amount_paid: '1000.00', payable: false }),
    });
    renderPage();
    expect(await screen.findByText('This invoice is now paid in full.')).toBeInTheDocument();
  });

  it('counts what was credited in the balance, and names no sender it does not know', async () => {
    mockApi({
      [`GET ${STATUS_URL}`]: payment('succeeded'),
      [`GET /api/payment/public/invoice/${ID}/`]: invoice({ issuer_name: '', amount_credited: '100.00', amount_due: '500.00' }),
    });
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Invoice balance' })).toBeInTheDocument();
    expect(screen.getByText('Credited to you').nextSibling).toHaveTextContent('€100.00');
    expect(screen.getByText('Still due').nextSibling).toHaveTextContent('€500.00');
  });

  it('shows a failure with a way to try again', async () => {
    mockApi({
      [`GET ${STATUS_URL}`]: sequence(payment('processing'), payment('failed')),
      [`GET /api/payment/public/invoice/${ID}/`]: invoice(),
    });
    renderPage();
    expect(await screen.findByText('Your payment did not go through')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', `/pay/${ID}`);
  });

  it('stops after the cap with a "still processing" message and can check again', async () => {
    const fetchMock = mockApi({
      [`GET ${STATUS_URL}`]: sequence(payment('processing'), payment('processing'), payment('processing'), payment('succeeded')),
      [`GET /api/payment/public/invoice/${ID}/`]: invoice(),
    });
    renderPage({ maxPolls: 3 });
    expect(await screen.findByText('Your payment is still processing')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 30));
    expect(callsTo(fetchMock, 'GET', STATUS_URL)).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByText('Payment received. Thank you!')).toBeInTheDocument();
  });

  it('keeps polling through a passing error', async () => {
    mockApi({
      [`GET ${STATUS_URL}`]: sequence({ status: 503, body: { code: 'server_error', message: 'Busy', details: {} } }, payment('succeeded')),
      [`GET /api/payment/public/invoice/${ID}/`]: invoice(),
    });
    renderPage();
    expect(await screen.findByText('Payment received. Thank you!')).toBeInTheDocument();
  });

  it('says so when the payment id is missing or unknown', async () => {
    mockApi({ [`GET ${STATUS_URL}`]: { status: 404, body: { code: 'not_found', message: 'Not found.', details: {} } } });
    renderPage();
    expect(await screen.findByText('We could not find this payment')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('link', { name: 'Back to the invoice' })).toHaveAttribute('href', `/pay/${ID}`));
  });

  it('handles a link without a payment id', () => {
    mockApi({});
    renderPage({}, `/pay/${ID}/return`);
    expect(screen.getByText('We could not find this payment')).toBeInTheDocument();
  });
});
