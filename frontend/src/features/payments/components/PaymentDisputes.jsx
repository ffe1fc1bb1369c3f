import { formatMoney } from '../../../lib/money.js';
import { formatDate } from '../../../lib/dates.js';

const OUTCOME = {
  lost: () => 'Lost: the bank took this back.',
  won: () => 'Won: the payment stands.',
  warning_closed: () => 'Inquiry closed without a dispute.',
  under_review: () => 'Under review by the bank.',
  needs_response: (due) => (due ? `Needs response by ${formatDate(due)}.` : 'Needs a response.'),
};

/** A payment's disputes (chargebacks) as the gateway reported them, with what each means for the owner. */
export default function PaymentDisputes({ payment }) {
  const disputes = payment.disputes || [];
  if (disputes.length === 0) return null;
  return (
    <ul className="disputes" aria-label="Disputes">
      {disputes.map((dispute, index) => {
        const message = (OUTCOME[dispute.status] || (() => dispute.status_display))(dispute.evidence_due_by);
        const urgent = dispute.status === 'needs_response' || dispute.status === 'lost';
        return (
          <li key={`${dispute.created_at}-${index}`} className="dispute" data-testid="dispute">
            <span>
              Dispute {formatMoney(dispute.amount, dispute.currency || payment.currency, payment.currency_exponent)}
            </span>
            <span className={`badge badge-${urgent ? 'danger' : 'neutral'}`}>{dispute.status_display}</span>
            {dispute.reason && <span className="muted small">Reason: {dispute.reason.replaceAll('_', ' ')}</span>}
            {dispute.evidence_due_by && dispute.status !== 'needs_response' && (
              <span className="muted small">Evidence due {formatDate(dispute.evidence_due_by)}</span>
            )}
            <strong className={`small dispute-message ${urgent ? 'field-error' : ''}`}>{message}</strong>
          </li>
        );
      })}
    </ul>
  );
}
