import StatusBadge from '../../../components/ui/StatusBadge.jsx';
import { formatMoney, isPositive } from '../../../lib/money.js';
import { formatDate } from '../../../lib/dates.js';
import PaymentFees from './PaymentFees.jsx';
import PaymentDisputes from './PaymentDisputes.jsx';
import './feesAndDisputes.css';

// What each refund did to the invoice (refunds made before this choice existed reopened it).
const EFFECT_LABELS = { credit: 'Taken off what the client owes', reopen: 'The client owes it again' };

/** The invoice's payments, newest first, each with its fee and net, its disputes and its refunds underneath. */
export default function PaymentsList({ payments, onRefund }) {
  if (payments.length === 0) {
    return <p className="muted">No payments yet. They appear here as soon as your client starts a checkout.</p>;
  }
  return (
    <ul className="payments">
      {payments.map((payment) => {
        const refunds = payment.refunds || [];
        const money = (amount, currency = payment.currency) => formatMoney(amount, currency, payment.currency_exponent);
        return (
          <li key={payment.payment_id} className="payment" data-testid="payment">
            <div className="payment-main">
              <div>
                <strong className="payment-amount">{money(payment.amount)}</strong>{' '}
                <StatusBadge status={payment.status} label={payment.status_display} />
                <p className="muted small">
                  {formatDate(payment.created_at)}
                  {payment.gateway_name ? ` · ${payment.gateway_name}` : ''}
                </p>
                <PaymentFees payment={payment} />
              </div>
              <div className="payment-side">
                {isPositive(payment.amount_refunded || '0') && (
                  <span className="small">Refunded {money(payment.amount_refunded)}</span>
                )}
                {payment.can_refund && (
                  <button type="button" className="btn btn-small" onClick={() => onRefund(payment)}>
                    Refund
                  </button>
                )}
              </div>
            </div>
            {payment.failure_message && <p className="small field-error">{payment.failure_message}</p>}
            <PaymentDisputes payment={payment} />
            {refunds.length > 0 && (
              <ul className="refunds" aria-label="Refunds">
                {refunds.map((refund) => (
                  <li key={refund.refund_id} className="refund">
                    <span>Refund {money(refund.amount, refund.currency)}</span>
                    <StatusBadge status={refund.status} label={refund.status_display} />
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
