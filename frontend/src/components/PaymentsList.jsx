import StatusBadge from './StatusBadge.jsx';
import { refundableAmount } from './RefundDialog.jsx';
import { formatMoney, isPositive } from '../lib/money.js';
import { formatDate } from '../lib/dates.js';

const REFUNDABLE = ['succeeded', 'partially_refunded'];

// What each refund did to the invoice (refunds made before this choice existed reopened it).
const EFFECT_LABELS = { credit: 'Taken off what the client owes', reopen: 'The client owes it again' };

export function canRefund(payment) {
  return REFUNDABLE.includes(payment.status) && isPositive(refundableAmount(payment));
}

/** The invoice's payments, newest first, each with its refunds underneath. */
export default function PaymentsList({ payments, onRefund }) {
  if (payments.length === 0) {
    return <p className="muted">No payments yet. They appear here as soon as your client starts a checkout.</p>;
  }
  return (
    <ul className="payments">
      {payments.map((payment) => {
        const id = payment.payment_id || payment.id;
        const refunds = payment.refunds || [];
        return (
          <li key={id} className="payment" data-testid="payment">
            <div className="payment-main">
              <div>
                <strong className="payment-amount">{formatMoney(payment.amount, payment.currency)}</strong>{' '}
                <StatusBadge status={payment.status} />
                <p className="muted small">
                  {formatDate(payment.created_at)}
                  {payment.gateway_name ? ` · ${payment.gateway_name}` : ''}
                </p>
              </div>
              <div className="payment-side">
                {isPositive(payment.amount_refunded || '0') && (
                  <span className="small">Refunded {formatMoney(payment.amount_refunded, payment.currency)}</span>
                )}
                {canRefund(payment) && (
                  <button type="button" className="btn btn-small" onClick={() => onRefund(payment)}>
                    Refund
                  </button>
                )}
              </div>
            </div>
            {payment.failure_message && <p className="small field-error">{payment.failure_message}</p>}
            {refunds.length > 0 && (
              <ul className="refunds" aria-label="Refunds">
                {refunds.map((refund) => (
                  <li key={refund.refund_id || refund.id} className="refund">
                    <span>Refund {formatMoney(refund.amount, refund.currency || payment.currency)}</span>
                    <StatusBadge status={refund.status} />
                    <span className="muted small">{formatDate(refund.created_at)}</span>
                    {EFFECT_LABELS[refund.invoice_effect] && (
                      <span className="small">{EFFECT_LABELS[refund.invoice_effect]}</span>
                    )}
                    {refund.reason && <span className="muted small">“{refund.reason}”</span>}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
