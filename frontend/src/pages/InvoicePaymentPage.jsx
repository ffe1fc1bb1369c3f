import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import PublicLayout from '../components/PublicLayout.jsx';
import Alert from '../components/Alert.jsx';
import Loading from '../components/Loading.jsx';
import ItemsTable from '../components/ItemsTable.jsx';
import AmountSummary, { RefundsSummary, publicAmountRows } from '../components/AmountSummary.jsx';
import StatusBadge from '../components/StatusBadge.jsx';
import Field from '../components/Field.jsx';
import useLoad from '../lib/useLoad.js';
import { compareDecimal, currencyExponent, decimalPlaces, formatMoney, isDecimal, isPositive } from '../lib/money.js';
import { formatDate } from '../lib/dates.js';
import { redirectTo } from '../lib/redirect.js';
import { createSession, getPaymentStatus, getPublicInvoice } from '../services/paymentService.js';

export const OUTCOME_POLL_MS = 1500;
export const OUTCOME_POLLS = 8; // about ten seconds for a webhook still on its way
const OPEN = ['pending', 'processing'];
const PAID = ['succeeded', 'partially_refunded', 'refunded'];

/**
 * What happened to the payment the checkout sent the client back about, from the payment's own
 * status (the URL says nothing trustworthy): declined or failed with the provider's reason,
 * expired, canceled, left unpaid, still processing, or paid.
 */
export function checkoutOutcome(payment) {
  const noMoney = 'No money was taken.';
  const reason = payment.failure_message;
  if (PAID.includes(payment.status)) {
    return { kind: 'success', title: 'Payment received. Thank you!', text: 'It has been recorded on this invoice.' };
  }
  // A pending payment with a reason: a card declined inside a checkout that is still open.
  if (payment.status === 'failed' || (payment.status === 'pending' && reason)) {
    return {
      kind: 'error',
      title: 'Your payment did not go through',
      text: `${noMoney} You can try again, perhaps with another card.`,
      reason: reason || 'The payment provider did not accept the payment.',
    };
  }
  switch (payment.status) {
    case 'expired':
      return { kind: 'warning', title: 'The checkout expired', text: `${noMoney} Start a new payment when you are ready.` };
    case 'canceled':
      return { kind: 'warning', title: 'Payment canceled', text: `${noMoney} You can try again whenever you are ready.` };
    case 'processing':
      return {
        kind: 'info',
        title: 'Your payment is processing',
        text: 'The payment provider has not confirmed it yet. You do not need to pay again.',
      };
    default:
      return { kind: 'info', title: 'You left the checkout before paying', text: `${noMoney} You can pay whenever you are ready.` };
  }
}

/** Follows the payment named in the URL until its status is final (or we stop asking). */
function usePaymentOutcome(paymentId, invoiceId, onSettled) {
  const [payment, setPayment] = useState(null);
  useEffect(() => {
    if (!paymentId) return undefined;
    let active = true;
    let timer = null;
    let polls = 0;
    async function poll() {
      try {
        const result = await getPaymentStatus(paymentId);
        if (!active) return;
        // A payment of another invoice (an edited link) says nothing about this one.
        if (result.invoice_id && String(result.invoice_id) !== String(invoiceId)) return;
        setPayment(result);
        if (PAID.includes(result.status)) onSettled();
        if (!OPEN.includes(result.status) || result.failure_message) return;
      } catch {
        if (!active) return;
      }
      polls += 1;
      if (polls < OUTCOME_POLLS) timer = setTimeout(poll, OUTCOME_POLL_MS);
    }
    poll();
    return () => {
      active = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [paymentId, invoiceId]);
  return payment;
}

function CheckoutOutcome({ payment }) {
  const outcome = checkoutOutcome(payment);
  return (
    <Alert kind={outcome.kind} title={outcome.title}>
      {outcome.reason && <span className="block">{outcome.reason}</span>}
      {outcome.text}
    </Alert>
  );
}

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
  const { loading, data: invoice, error, reload } = useLoad(() => getPublicInvoice(invoiceId), [invoiceId]);
  const payment = usePaymentOutcome(searchParams.get('payment'), invoiceId, reload);

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
      {payment && <CheckoutOutcome payment={payment} />}
      <article className="card invoice-card">
        <header className="invoice-head">
          {/* No "from" line without a name: never a login username in its place. */}
          {invoice.issuer_name ? (
            <div>
              <p className="muted small">Invoice from</p>
              <h1 className="invoice-issuer">{invoice.issuer_name}</h1>
            </div>
          ) : (
            <h1 className="invoice-issuer">Invoice {invoice.number}</h1>
          )}
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
        <AmountSummary currency={invoice.currency} rows={publicAmountRows(invoice)} />
        <RefundsSummary refunds={invoice.refunds} currency={invoice.currency} />
      </article>
    </PublicLayout>
  );
}
