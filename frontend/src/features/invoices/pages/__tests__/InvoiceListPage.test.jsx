import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import InvoiceListPage from '../InvoiceListPage.jsx';
import { apiInvoice, mockApi, renderRoute } from '../../../../test/helpers.jsx';

const row = (n, overrides = {}) =>
  apiInvoice({
  id: `id-${n}`,
  number: `INV-${String(n).padStart(4, '0')}`,
  client_name: `Client ${n}`,
  status: 'sent',
  currency: 'USD',
  total: '100.00',
  amount_due: '40.00',
  due_date: '2026-12-01',
  ...overrides,
  });

describe('InvoiceListPage', () => {
  it('lists invoices with status, total and amount due, and pages through them', async () => {
    const fetchMock = mockApi({
      'GET /api/invoices/?page_size=20': { count: 25, next: '/api/invoices/?page=2', previous: null, results: [row(1, { status: 'partially_paid' }), row(2)] },
      'GET /api/invoices/?page=2&page_size=20': { count: 25, next: null, previous: '/api/invoices/', results: [row(21, { status: 'paid', amount_due: '0.00' })] },
    });
    const user = userEvent.setup();
    renderRoute(<InvoiceListPage />, { path: '/invoices', url: '/invoices' });
    const link = await screen.findByRole('link', { name: 'INV-0001' });
    expect(link).toHaveAttribute('href', '/invoices/id-1');
    const first = link.closest('tr');
    expect(within(first).getByText('Partially paid')).toBeInTheDocument();
    expect(within(first).getByText('$100.00')).toBeInTheDocument();
    expect(within(first).getByText('$40.00')).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 2')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: 'INV-0021' })).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('shows an empty state', async () => {
    mockApi({ 'GET /api/invoices/': { count: 0, next: null, previous: null, results: [] } });
    renderRoute(<InvoiceListPage />, { path: '/invoices', url: '/invoices' });
    expect(await screen.findByText('No invoices yet')).toBeInTheDocument();
  });

  it('shows an error with a retry', async () => {
    mockApi({ 'GET /api/invoices/': { status: 500, body: { code: 'server_error', message: 'Something went wrong on our side.', details: {} } } });
    renderRoute(<InvoiceListPage />, { path: '/invoices', url: '/invoices' });
    expect(await screen.findByText('Something went wrong on our side.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
