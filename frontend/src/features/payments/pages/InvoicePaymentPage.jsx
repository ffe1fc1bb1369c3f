import { useParams, useSearchParams } from 'react-router';
import PublicLayout from '../../../components/ui/PublicLayout.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import AmountSummary from '../../../components/ui/AmountSummary.jsx';
import StatusBadge from '../../../components/ui/StatusBadge.jsx';
import ItemsTable from '../../../components/ui/ItemsTable.jsx';
import useLoad from '../../../lib/useLoad.js';
import { formatMoney } from '../../../lib/money.js';
import { formatDate } from '../../../lib/dates.js';
import CheckoutOutcome, { usePaymentOutcome } from '../components/CheckoutOutcome.jsx';
import PayForm from '../components/PayForm.jsx';
import IssuerHeader, { accentStyle } from '../components/IssuerHeader.jsx';
import LinkGone, { isLinkGone } from '../components/LinkGone.jsx';
import { RefundsSummary, publicAmountRows } from '../components/PublicAmounts.jsx';
import { getPublicInvoice } from '../api/paymentService.js';

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
        {isLinkGone(error) ? (
          <LinkGone error={error} />
        ) : error.status === 404 ? (
          <Alert kind="error" title="Invoice not found">
            This payment link does not match any invoice. Check the link you were sent, or ask the sender for a new
            one.
          </Alert>
        ) : (
          <LoadError title="We could not load this invoice" error={error} onRetry={reload} />
        )}
      </PublicLayout>
    );
  }

  const reason = invoice.payable ? null : notPayableReason(invoice);
  return (
    <PublicLayout title={`Invoice ${invoice.number}`}>
      {payment && <CheckoutOutcome payment={payment} />}
      <article className="card invoice-card" style={accentStyle(invoice)}>
        <header className="invoice-head">
          <IssuerHeader invoice={invoice} />
          <StatusBadge status={invoice.status} label={invoice.status_display} />
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
            {formatMoney(invoice.amount_due, invoice.currency, invoice.currency_exponent)}
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
        <ItemsTable items={invoice.items} currency={invoice.currency} exponent={invoice.currency_exponent} />
        <AmountSummary currency={invoice.currency} exponent={invoice.currency_exponent} rows={publicAmountRows(invoice)} />
        <RefundsSummary refunds={invoice.refunds} currency={invoice.currency} exponent={invoice.currency_exponent} />
      </article>
    </PublicLayout>
  );
}
