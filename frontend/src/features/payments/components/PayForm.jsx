import { useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import useSubmit from '../../../lib/useSubmit.js';
import { compareDecimal, decimalPlaces, formatMoney, isDecimal, isPositive } from '../../../lib/money.js';
import { redirectTo } from '../../../lib/redirect.js';
import { createSession } from '../api/paymentService.js';
import { AutopayChoice } from '../../recurring/index.js';

/** Why an amount typed by the client cannot be paid, checked with the currency's places as the API gives them. */
function amountProblem(amount, invoice) {
  if (!isDecimal(amount) || !isPositive(amount)) return 'Enter an amount greater than zero.';
  const places = invoice.currency_exponent;
  if (decimalPlaces(amount) > places) {
    return places === 0 ? `${invoice.currency} amounts have no decimal places.` : `Use at most ${places} decimal places.`;
  }
  if (compareDecimal(amount, invoice.amount_due) > 0) {
    return `The amount cannot be more than the ${formatMoney(invoice.amount_due, invoice.currency, places)} due.`;
  }
  return '';
}

/** "Pay now": opens a checkout for what is due (or the amount typed, when partial payments are allowed). */
export default function PayForm({ invoice, onNotPayable }) {
  const partial = Boolean(invoice.allow_partial_payments);
  const [amount, setAmount] = useState(invoice.amount_due);
  const [fieldError, setFieldError] = useState('');
  const [autopay, setAutopay] = useState(false);
  // Stays busy once the checkout opens: the browser is leaving for it.
  const { run, busy, error, setError } = useSubmit({
    keepBusy: true,
    onError: (err) => {
      if (err.code === 'invalid_amount' || err.details?.amount) {
        setFieldError(err.message);
        return null;
      }
      if (err.code === 'invoice_not_payable') onNotPayable();
      return err;
    },
  });

  async function onSubmit(event) {
    event.preventDefault();
    setError(null);
    const trimmed = String(amount).trim();
    if (partial) {
      const problem = amountProblem(trimmed, invoice);
      setFieldError(problem);
      if (problem) return;
    }
    const session = await run(() => createSession({ invoiceId: invoice.invoice_id, amount: partial ? trimmed : undefined, savePaymentMethod: autopay }));
    if (session) redirectTo(session.checkout_url);
  }

  const from = invoice.issuer_name || 'The sender';
  return (
    <form className="pay-form" onSubmit={onSubmit} noValidate>
      {error && error.code === 'gateway_not_configured' && (
        <Alert kind="warning" title="Online payment is not available yet">
          {from} has not set up online payments. Please contact them to pay another way.
        </Alert>
      )}
      {error && error.code !== 'gateway_not_configured' && (
        <Alert kind="error" title="We could not start the payment">
          {error.message}
        </Alert>
      )}
      {partial && (
        <Field
          label={`Amount to pay (${invoice.currency})`}
          error={fieldError}
          help={`You can pay part of the invoice now. Up to ${formatMoney(invoice.amount_due, invoice.currency, invoice.currency_exponent)}.`}
        >
          {(props) => (
            <input {...props} name="amount" inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />
          )}
        </Field>
      )}
      <AutopayChoice publicId={invoice.invoice_id} checked={autopay} onChange={setAutopay} />
      <button type="submit" className="btn btn-primary btn-large btn-block" disabled={busy}>
        {busy ? 'Opening secure checkout…' : 'Pay now'}
      </button>
      <p className="muted small center">You will be taken to a secure checkout page to complete the payment.</p>
    </form>
  );
}
