import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import PaymentsList from '../PaymentsList.jsx';
import { apiPayment } from '../../../../test/helpers.jsx';

const payment = (overrides = {}) =>
  apiPayment({
    payment_id: 'pay-1',
    invoice_id: 'inv-1',
    status: 'succeeded',
    amount: '100.00',
    amount_refunded: '0.00',
    currency: 'USD',
    gateway_name: 'stripe',
    created_at: '2026-11-02T10:00:00Z',
    fee: null,
    net: null,
    fee_currency: '',
    disputes: [],
    ...overrides,
  });

const dispute = (overrides = {}) => ({
  amount: '50.00',
  currency: 'USD',
  reason: 'product_not_received',
  status: 'needs_response',
  status_display: 'Needs response',
  evidence_due_by: '2026-12-10T23:59:59Z',
  created_at: '2026-11-20T10:00:00Z',
  ...overrides,
});

function row(payments) {
  render(<PaymentsList payments={payments} onRefund={() => {}} />);
  return screen.getAllByTestId('payment');
}

describe('PaymentsList fees and disputes', () => {
  it('shows the fee and net the gateway reported', () => {
    const [first] = row([payment({ fee: '3.49', net: '96.51', fee_currency: 'USD' })]);
    expect(within(first).getByText('Fee $3.49')).toBeInTheDocument();
    expect(within(first).getByText('Net $96.51')).toBeInTheDocument();
    expect(within(first).queryByText(/balance currency/)).not.toBeInTheDocument();
  });

  it('shows a dash while the fee is not known yet, and nothing for a payment that did not go through', () => {
    const [paid, failed] = row([payment(), payment({ payment_id: 'pay-2', status: 'failed' })]);
    expect(within(paid).getByText('Fee —')).toBeInTheDocument();
    expect(within(paid).getByText('Net —')).toBeInTheDocument();
    expect(within(failed).queryByText(/^Fee/)).not.toBeInTheDocument();
  });

  it('names the fee currency when it is not the invoice currency', () => {
    const [first] = row([payment({ fee: '3.20', net: '88.10', fee_currency: 'EUR' })]);
    expect(within(first).getByText('Fee €3.20')).toBeInTheDocument();
    expect(within(first).getByText('Net €88.10')).toBeInTheDocument();
    expect(within(first).getByText('in EUR, your balance currency')).toBeInTheDocument();
  });

  it('shows a dispute that needs a response by its evidence date', () => {
    const [first] = row([payment({ disputes: [dispute()] })]);
    const item = within(within(first).getByRole('list', { name: 'Disputes' })).getByTestId('dispute');
    expect(item).toHaveTextContent('Dispute $50.00');
    expect(item).toHaveTextContent('Reason: product not received');
    expect(within(item).getByText('Needs response')).toBeInTheDocument();
    expect(within(item).getByText(/^Needs response by Dec 1[01], 2026/)).toBeInTheDocument();
  });

  it('says plainly that a lost dispute was taken back by the bank', () => {
    const [first] = row([payment({ disputes: [dispute({ status: 'lost', status_display: 'Lost', amount: '100.00' })] })]);
    const item = within(first).getByTestId('dispute');
    expect(item).toHaveTextContent('Dispute $100.00');
    expect(within(item).getByText('Lost: the bank took this back.')).toBeInTheDocument();
    expect(item).toHaveTextContent(/Evidence due Dec 1[01], 2026/);
  });

  it('lists no disputes for a payment without any', () => {
    const [first] = row([payment({ fee: '3.49', net: '96.51', fee_currency: 'usd' })]);
    expect(within(first).queryByRole('list', { name: 'Disputes' })).not.toBeInTheDocument();
  });
});
