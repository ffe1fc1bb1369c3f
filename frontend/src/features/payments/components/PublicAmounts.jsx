import { formatMoney, isPositive } from '../../../lib/money.js';
import { formatDate } from '../../../lib/dates.js';

const EFFECT_TEXT = {
  credit: 'taken off this invoice',
  reopen: 'added back to the amount due',
};

/** One refund in the client's words: "Refunded to you: $100.00 on Nov 26, 2026, taken off this invoice." */
export function refundSentence(refund, currency, exponent) {
  const amount = formatMoney(refund.amount, refund.currency || currency, exponent);
  const effect = EFFECT_TEXT[refund.invoice_effect];
  const date = refund.created_at ? ` on ${formatDate(String(refund.created_at).slice(0, 10))}` : '';
  const lead = refund.status === 'pending' ? `A refund of ${amount} is on its way to you` : `Refunded to you: ${amount}${date}`;
  return `${lead}${effect ? `, ${effect}` : ''}.`;
}

/** The refunds of an invoice as the client sees them; nothing when there are none. */
export function RefundsSummary({ refunds, currency, exponent }) {
  if (!refunds || refunds.length === 0) return null;
  return (
    <ul className="refunds" aria-label="Refunds">
      {refunds.map((refund, index) => (
        <li key={`${refund.created_at}-${index}`} className="refund">
          {refundSentence(refund, currency, exponent)}
        </li>
      ))}
    </ul>
  );
}

/** The public invoice's totals: what was paid, credited and is still due. */
export function publicAmountRows(invoice, dueLabel = 'Due') {
  const credited = isPositive(invoice.amount_credited || '0');
  // amount_paid is net of refunds: say so, or a client who paid more reads it as a mistake.
  const refunded = isPositive(invoice.amount_refunded || '0');
  return [
    ['Total', invoice.total],
    [refunded ? 'Paid, less refunds' : 'Paid', invoice.amount_paid],
    ...(credited ? [['Credited to you', invoice.amount_credited]] : []),
    [dueLabel, invoice.amount_due, true],
  ];
}
