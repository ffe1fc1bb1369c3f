import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import RecurringPage from '../pages/RecurringPage.jsx';
import AutopayChoice from '../components/AutopayChoice.jsx';
import { callsTo, mockApi, renderRoute, sequence } from '../../../test/helpers.jsx';
import { render } from '@testing-library/react';

const LIST = '/api/recurring-invoices/';
const template = (overrides = {}) => ({
  id: 'rec-1',
  client_name: 'Acme Ltd',
  client_email: 'billing@acme.test',
  currency: 'USD',
  items: [{ description: 'Retainer', quantity: '1', unit_price: '250.00' }],
  allow_partial_payments: false,
  interval: 'month',
  interval_count: 1,
  start_date: '2026-01-31',
  end_date: null,
  count: 12,
  days_until_due: 14,
  status: 'active',
  next_issue_date: '2026-02-28',
  issued_count: 1,
  autopay: true,
  autopay_method: 'visa 4242',
  ...overrides,
});

describe('RecurringPage', () => {
  it('lists templates with their schedule, next issue date and autopay badge, and pauses one', async () => {
    const fetchMock = mockApi({
      [`GET ${LIST}`]: sequence({ count: 1, results: [template()] }, { count: 1, results: [template({ status: 'paused' })] }),
      'POST /api/recurring-invoices/rec-1/pause/': template({ status: 'paused' }),
    });
    renderRoute(<RecurringPage />, { path: '/recurring', url: '/recurring' });

    const row = (await screen.findByText('Acme Ltd')).closest('tr');
    expect(within(row).getByText('Every month, 12 invoices')).toBeInTheDocument();
    expect(within(row).getByText('Autopay on')).toBeInTheDocument();
    expect(within(row).getByText(/2026/)).toBeInTheDocument();

    await userEvent.click(within(row).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(callsTo(fetchMock, 'POST', '/api/recurring-invoices/rec-1/pause/')).toHaveLength(1));
    expect(await within(row).findByRole('button', { name: 'Resume' })).toBeInTheDocument();
  });

  it('creates a template from the form and shows the API error for a field', async () => {
    const fetchMock = mockApi({
      [`GET ${LIST}`]: { count: 0, results: [] },
      [`POST ${LIST}`]: sequence(
        { status: 400, body: { code: 'invalid', message: 'Invalid.', details: { items: { 0: { unit_price: ['Too many places.'] } } } } },
        { status: 201, body: template() },
      ),
    });
    renderRoute(<RecurringPage />, { path: '/recurring', url: '/recurring' });
    await userEvent.click(await screen.findByRole('button', { name: 'New recurring invoice' }));
    await userEvent.type(screen.getByLabelText('Client name'), 'Acme Ltd');
    await userEvent.type(screen.getByLabelText('Item'), 'Retainer');
    await userEvent.type(screen.getByLabelText('Unit price'), '250.001');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('Too many places.')).toBeInTheDocument();
    const [sent] = callsTo(fetchMock, 'POST', LIST);
    expect(sent.body).toMatchObject({ client_name: 'Acme Ltd', interval: 'month', items: [{ description: 'Retainer', unit_price: '250.001' }] });
  });
});

describe('AutopayChoice', () => {
  it('offers autopay on a recurring invoice and reports the choice', async () => {
    mockApi({ 'GET /api/payment/public/invoice/pub-1/autopay/': { recurring: true, autopay: false, autopay_available: true } });
    const onChange = vi.fn();
    render(<AutopayChoice publicId="pub-1" checked={false} onChange={onChange} />);
    await userEvent.click(await screen.findByRole('checkbox', { name: /Charge future invoices/ }));
    expect(onChange).toHaveBeenCalledWith(true);
  });

  it('lets the client turn autopay off', async () => {
    const fetchMock = mockApi({
      'GET /api/payment/public/invoice/pub-1/autopay/': sequence(
        { recurring: true, autopay: true, autopay_available: true },
        { recurring: true, autopay: false, autopay_available: true },
      ),
      'POST /api/payment/public/invoice/pub-1/autopay/disable/': { autopay: false },
    });
    render(<AutopayChoice publicId="pub-1" checked={false} onChange={() => {}} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Turn autopay off' }));
    expect(await screen.findByText(/Autopay is off/)).toBeInTheDocument();
    expect(callsTo(fetchMock, 'POST', '/api/payment/public/invoice/pub-1/autopay/disable/')).toHaveLength(1);
  });

  it('shows nothing for an invoice that is not recurring', async () => {
    const fetchMock = mockApi({ 'GET /api/payment/public/invoice/pub-2/autopay/': { recurring: false, autopay: false, autopay_available: false } });
    const { container } = render(<AutopayChoice publicId="pub-2" checked={false} onChange={() => {}} />);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(container).toBeEmptyDOMElement();
  });
});
