import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import InvoiceFormPage from '../InvoiceFormPage.jsx';
import { apiInvoice, callsTo, mockApi, renderRoute } from '../../../../test/helpers.jsx';

function renderNew() {
  return renderRoute(<InvoiceFormPage />, { path: '/invoices/new', url: '/invoices/new', extraRoutes: <Route path="/invoices/:id" element={<p>Detail page</p>} /> });
}

describe('InvoiceFormPage', () => {
  it('keeps a running total without float errors as rows are added and removed', async () => {
    mockApi({});
    const user = userEvent.setup();
    renderNew();
    await user.type(screen.getByLabelText('Unit price (item 1)'), '0.10');
    await user.click(screen.getByRole('button', { name: 'Add item' }));
    expect(screen.getByLabelText('Description (item 2)')).toHaveFocus();
    await user.type(screen.getByLabelText('Unit price (item 2)'), '0.20');
    expect(screen.getByTestId('running-total')).toHaveTextContent('$0.30');
    await user.clear(screen.getByLabelText('Quantity (item 2)'));
    await user.type(screen.getByLabelText('Quantity (item 2)'), '3');
    expect(screen.getByTestId('running-total')).toHaveTextContent('$0.70');
    await user.click(screen.getByRole('button', { name: 'Remove item 1' }));
    expect(screen.getByTestId('running-total')).toHaveTextContent('$0.60');
    expect(screen.getByRole('button', { name: 'Remove item 1' })).toBeDisabled();
  });

  it('creates a draft with the form values and opens it', async () => {
    const fetchMock = mockApi({ 'POST /api/invoices/': { status: 201, body: { id: 'new-id', status: 'draft' } } });
    const user = userEvent.setup();
    renderNew();
    await user.type(screen.getByLabelText('Client name'), 'Acme Ltd');
    await user.type(screen.getByLabelText('Client email'), 'billing@acme.test');
    await user.selectOptions(screen.getByLabelText('Currency'), 'EUR');
    await user.clear(screen.getByLabelText('Due date'));
    await user.type(screen.getByLabelText('Due date'), '2026-12-31');
    await user.click(screen.getByLabelText(/Allow partial payments/));
    await user.type(screen.getByLabelText('Description (item 1)'), 'Design');
    await user.clear(screen.getByLabelText('Quantity (item 1)'));
    await user.type(screen.getByLabelText('Quantity (item 1)'), '2.5');
    await user.type(screen.getByLabelText('Unit price (item 1)'), '80');
    expect(screen.getByTestId('running-total')).toHaveTextContent('€200.00');
    await user.click(screen.getByRole('button', { name: 'Save draft' }));

    expect(await screen.findByText('Detail page')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/invoices/new-id');
    const body = callsTo(fetchMock, 'POST', '/api/invoices/')[0].body;
    expect(body).toMatchObject({
      client_name: 'Acme Ltd',
      client_email: 'billing@acme.test',
      currency: 'EUR',
      due_date: '2026-12-31',
      allow_partial_payments: true,
      items: [{ description: 'Design', quantity: '2.5', unit_price: '80' }],
    });
    expect(body.issue_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('shows field errors from details next to the fields, including per item', async () => {
    mockApi({
      'POST /api/invoices/': {
        status: 400,
        body: {
          code: 'invalid',
          message: 'Invalid input.',
          details: { client_name: ['This field may not be blank.'], items: { 0: { unit_price: ['A valid number is required.'] } } },
        },
      },
    });
    const user = userEvent.setup();
    renderNew();
    await user.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText('This field may not be blank.')).toBeInTheDocument();
    expect(screen.getByLabelText('Client name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Unit price (item 1)')).toHaveAccessibleDescription('A valid number is required.');
    expect(screen.getByRole('alert')).toHaveTextContent(/correct the fields/i);
  });

  it('edits a draft with its items and saves with PATCH', async () => {
    const fetchMock = mockApi({
      'GET /api/invoices/i1/': apiInvoice({
        id: 'i1', number: 'INV-0001', status: 'draft', client_name: 'Acme', client_email: '', currency: 'JPY',
        issue_date: '2026-11-01', due_date: '2026-11-15', allow_partial_payments: false,
        items: [{ description: 'Tea', quantity: '3', unit_price: '500', amount: '1500' }],
      }),
      'PATCH /api/invoices/i1/': { id: 'i1' },
    });
    const user = userEvent.setup();
    renderRoute(<InvoiceFormPage />, { path: '/invoices/:id/edit', url: '/invoices/i1/edit', extraRoutes: <Route path="/invoices/:id" element={<p>Detail page</p>} /> });
    expect(await screen.findByLabelText('Description (item 1)')).toHaveValue('Tea');
    expect(screen.getByTestId('running-total')).toHaveTextContent('1,500');
    await user.clear(screen.getByLabelText('Client name'));
    await user.type(screen.getByLabelText('Client name'), 'Acme KK');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.getByText('Detail page')).toBeInTheDocument());
    const body = callsTo(fetchMock, 'PATCH', '/api/invoices/i1/')[0].body;
    expect(body.client_name).toBe('Acme KK');
    expect(body.items).toEqual([{ description: 'Tea', quantity: '3', unit_price: '500' }]);
  });

  it('does not send items or currency for a sent invoice', async () => {
    const fetchMock = mockApi({
      'GET /api/invoices/i2/': apiInvoice({
        id: 'i2', number: 'INV-0002', status: 'sent', client_name: 'Acme', client_email: '', currency: 'USD',
        issue_date: '2026-11-01', due_date: '2026-11-15', allow_partial_payments: false,
        items: [{ description: 'Tea', quantity: '1', unit_price: '5.00', amount: '5.00' }],
      }),
      'PATCH /api/invoices/i2/': { id: 'i2' },
    });
    const user = userEvent.setup();
    renderRoute(<InvoiceFormPage />, { path: '/invoices/:id/edit', url: '/invoices/i2/edit' });
    expect(await screen.findByText(/items and currency are fixed/)).toBeInTheDocument();
    expect(screen.getByLabelText('Description (item 1)')).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(callsTo(fetchMock, 'PATCH', '/api/invoices/i2/')).toHaveLength(1));
    const body = callsTo(fetchMock, 'PATCH', '/api/invoices/i2/')[0].body;
    expect(body.items).toBeUndefined();
    expect(body.currency).toBeUndefined();
  });
});
