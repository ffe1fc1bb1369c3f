import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import InvoiceAmounts from '../InvoiceAmounts.jsx';
import { apiInvoice } from '../../../../test/helpers.jsx';

const invoice = (overrides = {}) =>
  apiInvoice({
    id: 'inv-1',
    status: 'partially_paid',
    currency: 'USD',
    issue_date: '2026-11-01',
    due_date: '2026-11-30',
    total: '200.00',
    amount_paid: '150.00',
    amount_refunded: '0.00',
    amount_credited: '0.00',
    amount_disputed: '50.00',
    amount_due: '50.00',
    ...overrides,
  });

const value = (label) => within(screen.getByRole('region', { name: 'Amounts' })).getByText(label).nextSibling;

describe('InvoiceAmounts', () => {
  it('shows what was lost in disputes', () => {
    render(<InvoiceAmounts invoice={invoice()} />);
    expect(value('Lost in disputes')).toHaveTextContent('$50.00');
    expect(value('Paid')).toHaveTextContent('$150.00');
    expect(value('Amount due')).toHaveTextContent('$50.00');
  });

  it('has no disputes row when nothing was lost', () => {
    render(<InvoiceAmounts invoice={invoice({ amount_disputed: '0.00', amount_paid: '200.00', amount_due: '0.00' })} />);
    expect(screen.queryByText('Lost in disputes')).not.toBeInTheDocument();
  });

  it('uses the currency of the invoice for the disputed amount', () => {
    render(<InvoiceAmounts invoice={invoice({ currency: 'JPY', total: '20000', amount_paid: '15000', amount_disputed: '5000', amount_due: '5000' })} />);
    expect(value('Lost in disputes')).toHaveTextContent('¥5,000');
  });
});
