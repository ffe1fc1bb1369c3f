import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import PublicLayout from '../components/PublicLayout.jsx';
import Alert from '../components/Alert.jsx';
import Loading from '../components/Loading.jsx';
import ItemsTable from '../components/ItemsTable.jsx';
import AmountSummary from '../components/AmountSummary.jsx';
import StatusBadge from '../components/StatusBadge.jsx';
import Field from '../components/Field.jsx';
import useLoad from '../lib/useLoad.js';
import { compareDecimal, currencyExponent, decimalPlaces, formatMoney, isDecimal, isPositive } from '../lib/money.js';
import { formatDate } from '../lib/dates.js';
import { redirectTo } from '../lib/redirect.js';
import { createSession, getPublicInvoice } from '../services/paymentService.js';

/** Why an invoice that is not payable cannot be paid, in the client's words. */
function notPayableReason(invoice) {
  const from = invoice.issuer_name || 'The sender';
  switch (invoice.status) {
    case 'paid':
      return { kind: 'success', title: 'This invoice is paid in full', text: 'Thank you! There is nothing left to pay.' };
    case 'void':
      return {
        kind: 'warning',
        title: 'This invoice has been canceled',
        text: `${from} voided this invoice, so it can no longer be paid. Contact them if you think this is a mistake.`,
      };
    case 'draft':
      return {
        kind: 'info',
        title: 'This invoice is not ready for payment yet',
        text: `${from} is still preparing this invoice. You will be able to pay once it has been sent to you.`,
      };
    default:
      return {
        kind: 'info',
        title: 'This invoice cannot be paid online right now',
        text: `Please contact ${from} to arrange payment.`,
      };
  }
}

function amountProblem(amount, invoice) {
  if (!isDecimal(amount) || !isPositive(amount)) return 'Enter an amount greater than zero.';
  const places = currencyExponent(invoice.currency);
  if (decimalPlaces(amount) > places) {
    return places === 0
      ? `${invoice.currency} amounts have no decimal places.`
      : `Use at most ${places} decimal places.`;
  }
  if (compareDecimal(amount, invoice.amount_due) > 0) {
    return `The amount cannot be more than the ${formatMoney(invoice.amount_due, invoice.currency)} due.`;
  }
  return '';
}

function PayForm({ invoice, onNotPayable }) {
  const partial = Boolean(invoice.allow_partial_payments);
  const [amount, setAmount] = useState(invoice.amount_due);
  const [fieldError, setFieldError] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event) {
    event.preventDefault();
    setError(null);
    const trimmed = String(amount).trim();
    if (partial) {
      const problem = amountProblem(trimmed, invoice);
      setFieldError(problem);
      if (problem) return;
    }
    setBusy(true);
    try {
      const session = await createSession({ invoiceId: invoice.invoice_id, amount: partial ? trimmed : undefined });
      redirectTo(session.checkout_url);
    } catch (err) {
      setBusy(false);
      if (err.code === 'invalid_amount' || err.details?.amount) {
        setFieldError(err.message);
        return;
      }
      setError(err);
      if (err.code === 'invoice_not_payable') onNotPayable();
    }
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
          help={`You can pay part of the invoice now. Up to ${formatMoney(invoice.amount_due, invoice.currency)}.`}
        >
          {(props) => (
            <input
              {...props}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
          )}
        </Field>
      )}
      <button type="submit" className="btn btn-primary btn-large btn-block" disabled={busy}>
        {busy ? 'Opening secure checkout…' : 'Pay now'}
      </button>
      <p className="muted small center">You will be taken to a secure checkout page to complete the payment.</p>
    </form>
  );
}

export default function InvoicePaymentPage() {
  const { invoiceId } = useParams();
  const [searchParams] = useSearchParams();
  const canceled = searchParams.get('canceled') === '1';
  const { loading, data: invoice, error, reload } = useLoad(() => getPublicInvoice(invoiceId), [invoiceId]);

  if (loading && !invoice) {
    return (
      <PublicLayout title="Invoice">
        <Loading label="Loading invoice…" />
      </PublicLayout>
    );
  }

  if (error && !invoice) {
    return (
      <PublicLayout title="Invoice">
        {error.status === 404 ? (
          <Alert kind="error" title="Invoice not found">
            This payment link does not match any invoice. Check the link you were sent, or ask the sender for a new
            one.
          </Alert>
        ) : (
          <Alert
            kind="error"
            title="We could not load this invoice"
            action={
              <button type="button" className="btn" onClick={reload}>
                Try again
              </button>
            }
          >
            {error.message}
          </Alert>
        )}
      </PublicLayout>
    );
  }

  const reason = invoice.payable ? null : notPayableReason(invoice);
  return (
    <PublicLayout title={`Invoice ${invoice.number}`}>
      {canceled && invoice.payable && (
        <Alert kind="warning" title="Payment canceled">
          No money was taken. You can try again whenever you are ready.
        </Alert>
      )}
      <article className="card invoice-card">
        <header className="invoice-head">
          <div>
            <p className="muted small">Invoice from</p>
            <h1 className="invoice-issuer">{invoice.issuer_name}</h1>
          </div>
          <StatusBadge status={invoice.status} />
        </header>
        <dl className="meta">
          <div>
            <dt>Invoice</dt>
            <dd>{invoice.number}</dd>
          </div>
          <div>
            <dt>Billed to</dt>
            <dd>{invoice.client_name}</dd>
          </div>
          <div>
            <dt>Due date</dt>
            <dd>{formatDate(invoice.due_date)}</dd>
          </div>
        </dl>

        <div className="due-box">
          <span className="muted">Amount due</span>
          <strong className="due-amount" data-testid="amount-due">
            {formatMoney(invoice.amount_due, invoice.currency)}
          </strong>
        </div>

        {reason ? (
          <Alert kind={reason.kind} title={reason.title}>
            {reason.text}
          </Alert>
        ) : (
          <PayForm invoice={invoice} onNotPayable={reload} />
        )}

        <h2 className="section-title">Details</h2>
        <ItemsTable items={invoice.items} currency={invoice.currency} />
        <AmountSummary
          currency={invoice.currency}
          rows={[
            ['Total', invoice.total],
            ['Paid', invoice.amount_paid],
            ['Due', invoice.amount_due, true],
          ]}
        />
      </article>
    </PublicLayout>
  );
}
