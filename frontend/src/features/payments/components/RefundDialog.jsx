import { useState } from 'react';
import useSubmit from '../../../lib/useSubmit.js';
import Dialog from '../../../components/ui/Dialog.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import { fieldError } from '../../../lib/apiClient.js';
import { formatMoney } from '../../../lib/money.js';
import { refundPayment } from '../api/paymentService.js';

/** What a refund does to the invoice, in the owner's words; credit is the default. */
export const INVOICE_EFFECTS = [
  ['credit', 'Take it off what the client owes', 'For a discount or something not delivered: a paid invoice stays paid.'],
  ['reopen', 'The client owes it again', 'The amount is added back to what is due, and the payment link asks for it.'],
];

/** Refunds (part of) a payment; the amount starts at what the API says is still refundable. */
export default function RefundDialog({ payment, onClose, onRefunded }) {
  const refundable = payment.amount_refundable;
  const money = (value) => formatMoney(value, payment.currency, payment.currency_exponent);
  const [amount, setAmount] = useState(refundable);
  const [reason, setReason] = useState('');
  const [invoiceEffect, setInvoiceEffect] = useState('credit');
  // Stays busy once refunded: the dialog closes.
  const { run, busy, error } = useSubmit({ keepBusy: true });

  async function onSubmit(event) {
    event.preventDefault();
    const refund = await run(() => refundPayment(payment.payment_id, { amount: amount.trim(), reason: reason.trim(), invoiceEffect }));
    if (refund !== undefined) onRefunded(refund);
  }

  const amountError = fieldError(error, 'amount');
  return (
    <Dialog
      title="Refund payment"
      description={`Up to ${money(refundable)} of this ${money(payment.amount)} payment can be refunded.`}
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate>
        {error && <Alert kind="error">{error.message}</Alert>}
        <Field label={`Amount (${payment.currency})`} error={amountError && amountError !== error.message ? amountError : ''}>
          {(p) => <input {...p} name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} data-autofocus />}
        </Field>
        <fieldset className="field">
          <legend>What happens to the invoice</legend>
          {INVOICE_EFFECTS.map(([value, label, help]) => (
            <div key={value} className="field-check">
              <input
                type="radio"
                id={`invoice-effect-${value}`}
                name="invoice_effect"
                value={value}
                checked={invoiceEffect === value}
                onChange={() => setInvoiceEffect(value)}
                aria-describedby={`invoice-effect-${value}-help`}
              />
              <div>
                <label htmlFor={`invoice-effect-${value}`}>{label}</label>
                <p id={`invoice-effect-${value}-help`} className="field-help">
                  {help}
                </p>
              </div>
            </div>
          ))}
          {fieldError(error, 'invoice_effect') && <p className="field-error">{fieldError(error, 'invoice_effect')}</p>}
        </fieldset>
        <Field label="Reason (optional)" help="For your records; your client does not see it." error={fieldError(error, 'reason')}>
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
