import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import PublicLayout from '../../../components/ui/PublicLayout.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import AmountSummary from '../../../components/ui/AmountSummary.jsx';
import { publicAmountRows } from '../components/PublicAmounts.jsx';
import LinkGone, { isLinkGone } from '../components/LinkGone.jsx';
import { formatMoney } from '../../../lib/money.js';
import { getPaymentStatus, getPublicInvoice } from '../api/paymentService.js';
import { payPath } from '../../../routes.js';

export const POLL_INTERVAL_MS = 1500;
export const MAX_POLLS = 40; // about a minute; after that the client can check again by hand
const SLOW_AFTER_POLLS = 5;

const FAILURE_TEXT = {
  failed: ['Your payment did not go through', 'No money was taken. You can try again, perhaps with another card.'],
  expired: ['The checkout session expired', 'No money was taken. Start a new payment when you are ready.'],
  canceled: ['Payment canceled', 'No money was taken. You can try again whenever you are ready.'],
};

/**
 * Where the checkout sends the client back. The redirect itself proves nothing: the gateway's
 * webhook decides, so this page polls the payment's status until it is final.
 */
export default function PaymentReturnPage({ pollInterval = POLL_INTERVAL_MS, maxPolls = MAX_POLLS }) {
  const { invoiceId } = useParams();
  const [searchParams] = useSearchParams();
  const paymentId = searchParams.get('payment');
  const [payment, setPayment] = useState(null);
  const [polls, setPolls] = useState(0);
  const [round, setRound] = useState(0);
  const [fatal, setFatal] = useState(null);
  const [lastError, setLastError] = useState(null);
  const [invoice, setInvoice] = useState(null);
  const [invoiceError, setInvoiceError] = useState(null);
  // Final once the gateway has decided: the API says whether the payment is still open.
  const final = payment && !payment.is_open;
  const gaveUp = !final && !fatal && polls >= maxPolls;
  const timer = useRef(null);

  useEffect(() => {
    if (!paymentId) return undefined;
    let active = true;
    let count = 0;
    async function poll() {
      try {
        const result = await getPaymentStatus(paymentId);
        if (!active) return;
        setPayment(result);
        setLastError(null);
        if (!result.is_open) return;
      } catch (err) {
        if (!active) return;
        if (err.status === 404 || err.status === 410) {
          setFatal(err);
          return;
        }
        setLastError(err);
      }
      count += 1;
      setPolls(count);
      if (count < maxPolls) timer.current = setTimeout(poll, pollInterval);
    }
    poll();
    return () => {
      active = false;
      clearTimeout(timer.current);
    };
  }, [paymentId, pollInterval, maxPolls, round]);

  useEffect(() => {
    if (!final) return;
    let active = true;
    getPublicInvoice(invoiceId).then(
      (data) => active && setInvoice(data),
      (err) => active && setInvoiceError(err),
    );
    return () => {
      active = false;
    };
  }, [final, invoiceId]);

  function checkAgain() {
    setPolls(0);
    setRound((r) => r + 1);
  }

  const backLink = (
    <Link className="btn" to={payPath(invoiceId)}>
      Back to the invoice
    </Link>
  );

  if (fatal && isLinkGone(fatal)) {
    return (
      <PublicLayout title="Payment">
        <LinkGone error={fatal} />
      </PublicLayout>
    );
  }

  if (!paymentId || fatal) {
    return (
      <PublicLayout title="Payment">
        <Alert kind="error" title="We could not find this payment" action={backLink}>
          The link you followed is incomplete or out of date. Open the invoice to see what is still due.
        </Alert>
      </PublicLayout>
    );
  }

  let body;
  if (final && payment.is_paid) {
    body = (
      <Alert kind="success" title="Payment received. Thank you!">
        We received {formatMoney(payment.amount, payment.currency, payment.currency_exponent)} and it has been recorded on the invoice.
      </Alert>
    );
  } else if (final) {
    const [title, text] = FAILURE_TEXT[payment.status] || FAILURE_TEXT.failed;
    body = (
      <Alert
        kind="error"
        title={title}
        action={
          <Link className="btn btn-primary" to={payPath(invoiceId)}>
            Try again
          </Link>
        }
      >
        {text}
        {payment.failure_message && <span className="block muted small">{payment.failure_message}</span>}
      </Alert>
    );
  } else if (gaveUp) {
    body = (
      <Alert
        kind="info"
        title="Your payment is still processing"
        action={
          <button type="button" className="btn btn-primary" onClick={checkAgain}>
            Check again
          </button>
        }
      >
        The payment provider has not confirmed it yet. This can take a few minutes; you do not need to pay again.
        {lastError && <span className="block muted small">Last error: {lastError.message}</span>}
      </Alert>
    );
  } else {
    body = (
      <div className="card center">
        <Loading label="Confirming your payment…" />
        {polls >= SLOW_AFTER_POLLS && (
          <p className="muted">Still processing. This is taking a little longer than usual; please keep this page open.</p>
        )}
      </div>
    );
  }

  return (
    <PublicLayout title="Payment">
      <h1 className="page-title">{invoice ? `Invoice ${invoice.number}` : 'Your payment'}</h1>
      {body}
      {final && invoice && (
        <section className="card" aria-labelledby="balance-title">
          <h2 id="balance-title" className="section-title">
            {invoice.issuer_name ? `Balance with ${invoice.issuer_name}` : 'Invoice balance'}
          </h2>
          {invoice.status === 'paid' && <p className="lead">This invoice is now paid in full.</p>}
          <AmountSummary currency={invoice.currency} exponent={invoice.currency_exponent} rows={publicAmountRows(invoice, 'Still due')} />
          <p>{backLink}</p>
        </section>
      )}
      {final && invoiceError && <p className="muted">{backLink}</p>}
    </PublicLayout>
  );
}
