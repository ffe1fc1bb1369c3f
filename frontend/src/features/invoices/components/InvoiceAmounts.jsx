import AmountSummary from '../../../components/ui/AmountSummary.jsx';
import { isPositive } from '../../../lib/money.js';
import { formatDate } from '../../../lib/dates.js';

/** The owner's view of an invoice's money and terms. */
export default function InvoiceAmounts({ invoice }) {
  return (
    <section className="card" aria-labelledby="amounts-title">
      <h2 id="amounts-title" className="section-title">
        Amounts
      </h2>
      <AmountSummary
        currency={invoice.currency}
        exponent={invoice.currency_exponent}
        rows={[
          ['Total', invoice.total],
          ['Paid', invoice.amount_paid],
          ['Refunded', invoice.amount_refunded],
          // Refunds taken off what the client owes, so they are not asked for again.
          ...(isPositive(invoice.amount_credited || '0') ? [['Credited', invoice.amount_credited]] : []),
          // Lost disputes: the payer's bank took the money back, so it is not in Paid.
          ...(isPositive(invoice.amount_disputed || '0') ? [['Lost in disputes', invoice.amount_disputed]] : []),
          ['Amount due', invoice.amount_due, true],
          ...(isPositive(invoice.amount_overpaid || '0') ? [['Overpaid', invoice.amount_overpaid]] : []),
        ]}
      />
      <dl className="meta">
        <div>
          <dt>Issued</dt>
          <dd>{formatDate(invoice.issue_date)}</dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{formatDate(invoice.due_date)}</dd>
        </div>
        <div>
          <dt>Partial payments</dt>
          <dd>{invoice.allow_partial_payments ? 'Allowed' : 'Not allowed'}</dd>
        </div>
      </dl>
    </section>
  );
}
