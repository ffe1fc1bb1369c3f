import { useState } from 'react';
import Dialog from './Dialog.jsx';
import Alert from './Alert.jsx';
import Field from './Field.jsx';
import { fieldError } from '../lib/apiClient.js';
import { formatMoney, subtractDecimal } from '../lib/money.js';
import { refundPayment } from '../services/paymentService.js';

export function refundableAmount(payment) {
  if (payment.amount_refundable !== undefined && payment.amount_refundable !== null) return String(payment.amount_refundable);
  return subtractDecimal(payment.amount, payment.amount_refunded || '0', payment.currency);
}

/** Refunds (part of) a payment; the amount starts at what is still refundable. */
export default function RefundDialog({ payment, onClose, onRefunded }) {
  const refundable = refundableAmount(payment);
  const [amount, setAmount] = useState(refundable);
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const refund = await refundPayment(payment.payment_id || payment.id, { amount: amount.trim(), reason: reason.trim() });
      onRefunded(refund);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const amountError = fieldError(error, 'amount');
  return (
    <Dialog
      title="Refund payment"
      description={`Up to ${formatMoney(refundable, payment.currency)} of this ${formatMoney(payment.amount, payment.currency)} payment can be refunded.`}
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate>
        {error && <Alert kind="error">{error.message}</Alert>}
        <Field label={`Amount (${payment.currency})`} error={amountError && amountError !== error.message ? amountError : ''}>
          {(p) => <input {...p} name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-autofocus />}
        </Field>
        <Field label="Reason (optional)" error={fieldError(error, 'reason')}>
          {(p) => <textarea {...p} name="reason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            {busy ? 'Refunding…' : 'Refund'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
