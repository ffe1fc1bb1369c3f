import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import InvoiceDetailPage from '../InvoiceDetailPage.jsx';
import { apiInvoice, apiPayment, callsTo, mockApi, renderRoute, sequence } from '../../../../test/helpers.jsx';

const ID = 'inv-9';
const INVOICE_URL = `/api/invoices/${ID}/`;
const PAYMENTS_URL = `/api/payment/invoice/${ID}/payments/`;

const invoice = (overrides = {}) =>
  apiInvoice({
  id: ID,
  number: 'INV-0009',
  client_name: 'Acme Ltd',
  client_email: 'billing@acme.test',
  currency: 'USD',
  issue_date: '2026-11-01',
  due_date: '2026-11-30',
  status: 'paid',
  items: [{ description: 'Consulting', quantity: '2', unit_price: '100.00', amount: '200.00' }],
  total: '200.00',
  amount_paid: '200.00',
  amount_refunded: '0.00',
  amount_due: '0.00',
  allow_partial_payments: false,
  payment_url: `http://127.0.0.1:8000/pay/${ID}`,
  created_at: '2026-11-01T10:00:00Z',
  ...overrides,
  });

const payment = (overrides = {}) =>
  apiPayment({
  payment_id: 'pay-1',
  invoice_id: ID,
  status: 'succeeded',
  amount: '200.00',
  amount_refunded: '0.00',
  currency: 'USD',
  gateway_name: 'sandbox',
  created_at: '2026-11-02T10:00:00Z',
  refunds: [],
  ...overrides,
  });

// The payment list is paginated like every list of the API.
const page = (results) => ({ count: results.length, next: null, previous: null, results });

function renderPage() {
  return renderRoute(<InvoiceDetailPage />, { path: '/invoices/:id', url: `/invoices/${ID}` });
}

describe('InvoiceDetailPage', () => {
  it('shows the amounts, the status and the payment link with a mailto share', async () => {
    mockApi({ [`GET ${INVOICE_URL}`]: invoice({ status: 'sent', amount_paid: '0.00', amount_due: '200.00' }), [`GET ${PAYMENTS_URL}`]: page([]) });
    renderPage();
    expect(screen.getByRole('status')).toHaveTextContent(/loading/i);
    expect(await screen.findByRole('heading', { name: /Invoice INV-0009/ })).toHaveTextContent('Sent');
    const amounts = screen.getByRole('region', { name: 'Amounts' });
    expect(within(amounts).getByText('Amount due').nextSibling).toHaveTextContent('$200.00');
    expect(screen.getByLabelText('Public payment link')).toHaveValue(`http://127.0.0.1:8000/pay/${ID}`);
    const mail = screen.getByRole('link', { name: 'Email to client' });
    const href = mail.getAttribute('href');
    expect(href.startsWith('mailto:billing%40acme.test?subject=')).toBe(true);
    expect(decodeURIComponent(href.split('subject=')[1].split('&')[0])).toBe('Invoice INV-0009: $200.00 due');
    expect(decodeURIComponent(href.split('body=')[1])).toContain(`http://127.0.0.1:8000/pay/${ID}`);
    expect(screen.getByText(/No payments yet/)).toBeInTheDocument();
  });

  it('copies the link and confirms', async () => {
    mockApi({ [`GET ${INVOICE_URL}`]: invoice({ status: 'sent' }), [`GET ${PAYMENTS_URL}`]: page([]) });
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Copy link' }));
    expect(writeText).toHaveBeenCalledWith(`http://127.0.0.1:8000/pay/${ID}`);
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('falls back to selecting the link when the clipboard is refused', async () => {
    mockApi({ [`GET ${INVOICE_URL}`]: invoice({ status: 'sent' }), [`GET ${PAYMENTS_URL}`]: page([]) });
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'));
    document.execCommand = vi.fn(() => false);
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Copy link' }));
    expect(await screen.findByText(/Press Ctrl\+C/)).toBeInTheDocument();
    expect(screen.getByLabelText('Public payment link')).toHaveFocus();
    delete document.execCommand;
  });

  it('lists payments with their refunds', async () => {
    mockApi({
      [`GET ${INVOICE_URL}`]: invoice({ status: 'partially_paid', amount_paid: '150.00', amount_refunded: '50.00', amount_due: '50.00' }),
      [`GET ${PAYMENTS_URL}`]: page([
        payment({
          status: 'partially_refunded',
          amount_refunded: '50.00',
          refunds: [{ refund_id: 'r1', amount: '50.00', currency: 'USD', status: 'succeeded', created_at: '2026-11-03T10:00:00Z' }],
        }),
        payment({ payment_id: 'pay-0', status: 'failed', amount: '200.00' }),
      ]),
    });
    renderPage();
    const rows = await screen.findAllByTestId('payment');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Partially refunded')).toBeInTheDocument();
    expect(within(rows[0]).getByText('Refunded $50.00')).toBeInTheDocument();
    expect(within(within(rows[0]).getByRole('list', { name: 'Refunds' })).getByText('Refund $50.00')).toBeInTheDocument();
    expect(within(rows[0]).getByRole('button', { name: 'Refund' })).toBeInTheDocument();
    expect(within(rows[1]).getByText('Failed')).toBeInTheDocument();
    expect(within(rows[1]).queryByRole('button', { name: 'Refund' })).not.toBeInTheDocument();
  });

  it('prefills the refund with what is refundable, shows the error message, then refunds and refreshes', async () => {
    const fetchMock = mockApi({
      [`GET ${INVOICE_URL}`]: sequence(invoice(), invoice({ status: 'partially_paid', amount_paid: '100.00', amount_refunded: '100.00', amount_due: '100.00' })),
      [`GET ${PAYMENTS_URL}`]: sequence(
        page([payment({ status: 'partially_refunded', amount_refunded: '20.00' })]),
        page([payment({ status: 'partially_refunded', amount_refunded: '120.00' })]),
      ),
      'POST /api/payment/refund/pay-1/': sequence(
        { status: 400, body: { code: 'invalid_amount', message: 'You can refund at most 180.00 USD.', details: {} } },
        {
          status: 201,
          body: { refund_id: 'r2', payment_id: 'pay-1', amount: '100.00', currency: 'USD', status: 'succeeded', payment_status: 'partially_refunded', invoice_effect: 'reopen' },
        },
      ),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Refund' }));
    const dialog = screen.getByRole('dialog', { name: 'Refund payment' });
    const amount = within(dialog).getByLabelText('Amount (USD)');
    expect(amount).toHaveValue('180.00');
    expect(amount).toHaveFocus();

    await user.clear(amount);
    await user.type(amount, '500');
    await user.click(within(dialog).getByRole('button', { name: 'Refund' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You can refund at most 180.00 USD.');

    // Credit is the default; the owner may instead bill the client again.
    expect(within(dialog).getByLabelText('Take it off what the client owes')).toBeChecked();
    await user.click(within(dialog).getByLabelText('The client owes it again'));
    await user.clear(amount);
    await user.type(amount, '100.00');
    await user.type(within(dialog).getByLabelText('Reason (optional)'), 'Late delivery');
    await user.click(within(dialog).getByRole('button', { name: 'Refund' }));

    expect(await screen.findByText('Refund of $100.00 made; the client owes it again.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/refund/pay-1/').map((c) => c.body)).toEqual([
      { amount: '500', invoice_effect: 'credit' },
      { amount: '100.00', reason: 'Late delivery', invoice_effect: 'reopen' },
    ]);
    await waitFor(() => expect(screen.getByText('Refunded $120.00')).toBeInTheDocument());
    expect(callsTo(fetchMock, 'GET', INVOICE_URL)).toHaveLength(2);
  });

  it('shows what refunds credited, and what each refund did to the invoice', async () => {
    mockApi({
      [`GET ${INVOICE_URL}`]: invoice({ amount_paid: '150.00', amount_refunded: '50.00', amount_credited: '50.00', amount_due: '0.00' }),
      [`GET ${PAYMENTS_URL}`]: page([
        payment({
          status: 'partially_refunded',
          amount_refunded: '50.00',
          refunds: [{ refund_id: 'r1', amount: '50.00', currency: 'USD', status: 'succeeded', invoice_effect: 'credit', created_at: '2026-11-03T10:00:00Z' }],
        }),
      ]),
    });
    renderPage();
    const amounts = await screen.findByRole('region', { name: 'Amounts' });
    expect(within(amounts).getByText('Credited').nextSibling).toHaveTextContent('$50.00');
    expect(within(amounts).getByText('Amount due').nextSibling).toHaveTextContent('$0.00');
    expect(screen.getByRole('heading', { name: /Invoice INV-0009/ })).toHaveTextContent('Paid');
    expect(within(screen.getByRole('list', { name: 'Refunds' })).getByText('Taken off what the client owes')).toBeInTheDocument();
  });

  it('closes the refund dialog on Escape and keeps focus inside while open', async () => {
    mockApi({ [`GET ${INVOICE_URL}`]: invoice(), [`GET ${PAYMENTS_URL}`]: page([payment()]) });
    const user = userEvent.setup();
    renderPage();
    const opener = await screen.findByRole('button', { name: 'Refund' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog');
    await user.tab();
    await user.tab();
    await user.tab();
    await user.tab();
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('sends a draft', async () => {
    const fetchMock = mockApi({
      [`GET ${INVOICE_URL}`]: invoice({ status: 'draft', amount_paid: '0.00', amount_due: '200.00' }),
      [`GET ${PAYMENTS_URL}`]: page([]),
      [`POST ${INVOICE_URL}send/`]: invoice({ status: 'sent', amount_paid: '0.00', amount_due: '200.00' }),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Send invoice' }));
    expect(await screen.findByText(/Invoice sent/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /Invoice INV-0009/ })).toHaveTextContent('Sent');
    expect(callsTo(fetchMock, 'POST', `${INVOICE_URL}send/`)).toHaveLength(1);
  });

  it('asks before voiding and shows why the API refuses', async () => {
    mockApi({
      [`GET ${INVOICE_URL}`]: invoice(),
      [`GET ${PAYMENTS_URL}`]: page([payment()]),
      [`POST ${INVOICE_URL}void/`]: { status: 409, body: { code: 'invoice_has_payments', message: 'Refund the payments before voiding.', details: {} } },
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Void' }));
    const dialog = screen.getByRole('dialog', { name: 'Void this invoice?' });
    await user.click(within(dialog).getByRole('button', { name: 'Void invoice' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Refund the payments before voiding.');
  });

  it('shows a not-found state', async () => {
    mockApi({ [`GET ${INVOICE_URL}`]: { status: 404, body: { code: 'not_found', message: 'Not found.', details: {} } }, [`GET ${PAYMENTS_URL}`]: page([]) });
    renderPage();
    expect(await screen.findByText('Invoice not found')).toBeInTheDocument();
  });

  it('shows a lost dispute on the payment and in the amounts, and the reminder schedule', async () => {
    mockApi({
      [`GET ${INVOICE_URL}`]: invoice({ status: 'partially_paid', amount_paid: '150.00', amount_disputed: '50.00', amount_due: '50.00' }),
      [`GET ${PAYMENTS_URL}`]: page([
        payment({
          fee: '6.10',
          net: '193.90',
          fee_currency: 'USD',
          disputes: [{ amount: '50.00', currency: 'USD', reason: 'fraudulent', status: 'lost', status_display: 'Lost', evidence_due_by: null, created_at: '2026-11-20T10:00:00Z' }],
        }),
      ]),
      [`GET /api/invoices/${ID}/reminders/`]: { uses_default: true, enabled: false, offsets: [-3, 0, 7], sent: [] },
    });
    renderPage();
    const [row] = await screen.findAllByTestId('payment');
    expect(within(row).getByText('Fee $6.10')).toBeInTheDocument();
    expect(within(row).getByText('Lost: the bank took this back.')).toBeInTheDocument();
    const amounts = screen.getByRole('region', { name: 'Amounts' });
    expect(within(amounts).getByText('Lost in disputes').nextSibling).toHaveTextContent('$50.00');
    const reminders = screen.getByRole('region', { name: 'Reminders' });
    expect(await within(reminders).findByText('Reminders are off in your default schedule.')).toBeInTheDocument();
  });
});
