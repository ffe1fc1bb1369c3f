import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import Alert from '../components/Alert.jsx';
import Loading from '../components/Loading.jsx';
import StatusBadge from '../components/StatusBadge.jsx';
import AmountSummary from '../components/AmountSummary.jsx';
import ItemsTable from '../components/ItemsTable.jsx';
import ConfirmDialog from '../components/ConfirmDialog.jsx';
import PaymentLinkPanel from '../components/PaymentLinkPanel.jsx';
import PaymentsList from '../components/PaymentsList.jsx';
import RefundDialog from '../components/RefundDialog.jsx';
import useLoad from '../lib/useLoad.js';
import useTitle from '../lib/useTitle.js';
import { formatMoney, isPositive } from '../lib/money.js';
import { formatDate } from '../lib/dates.js';
import { deleteInvoice, getInvoice, sendInvoice, voidInvoice } from '../services/invoiceService.js';
import { listInvoicePayments } from '../services/paymentService.js';
import { invoiceEditPath, paths } from '../routes.js';

const EFFECT_NOTICE = {
  credit: ', taken off what the client owes',
  reopen: '; the client owes it again',
};

async function loadInvoiceAndPayments(id) {
  const [invoice, payments] = await Promise.all([getInvoice(id), listInvoicePayments(id)]);
  return { invoice, payments };
}

export default function InvoiceDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { loading, data, error, reload, setData } = useLoad(() => loadInvoiceAndPayments(id), [id]);
  const [dialog, setDialog] = useState(null); // 'void' | 'delete' | {refund: payment}
  const [notice, setNotice] = useState(null);
  const [actionError, setActionError] = useState(null);
  const [sending, setSending] = useState(false);
  useTitle(data ? `Invoice ${data.invoice.number}` : 'Invoice');

  if (loading && !data) return <Loading label="Loading invoice…" />;
  if (error && !data) {
    return (
      <Alert
        kind="error"
        title={error.status === 404 ? 'Invoice not found' : 'Could not load the invoice'}
        action={<Link to={paths.invoices}>Back to invoices</Link>}
      >
        {error.status === 404 ? 'It may have been deleted.' : error.message}
      </Alert>
    );
  }

  const { invoice, payments } = data;
  const { currency, status } = invoice;

  async function send() {
    setSending(true);
    setActionError(null);
    try {
      const updated = await sendInvoice(id);
      setData({ invoice: { ...invoice, ...updated }, payments });
      setNotice('Invoice sent. Share the payment link below with your client.');
    } catch (err) {
      setActionError(err);
    }
    setSending(false);
  }

  async function confirmVoid() {
    await voidInvoice(id);
    setDialog(null);
    setNotice('Invoice voided. The payment link no longer accepts payments.');
    reload();
  }

  async function confirmDelete() {
    await deleteInvoice(id);
    navigate(paths.invoices, { replace: true });
  }

  function onRefunded(refund) {
    setDialog(null);
    const done = refund.status === 'succeeded' ? 'made' : 'requested';
    const effect = EFFECT_NOTICE[refund.invoice_effect] || '';
    setNotice(`Refund of ${formatMoney(refund.amount, refund.currency || currency)} ${done}${effect}.`);
    reload();
  }

  return (
    <>
      <div className="page-head">
        <div>
          <p className="muted small">
            <Link to={paths.invoices}>Invoices</Link> /
          </p>
          <h1 className="page-title">
            Invoice {invoice.number} <StatusBadge status={status} />
          </h1>
          <p className="muted">
            {invoice.client_name}
            {invoice.client_email ? ` · ${invoice.client_email}` : ''}
          </p>
        </div>
        <div className="actions">
          {status === 'draft' && (
            <>
              <Link className="btn" to={invoiceEditPath(id)}>
                Edit
              </Link>
              <button type="button" className="btn btn-primary" onClick={send} disabled={sending}>
                {sending ? 'Sending…' : 'Send invoice'}
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setDialog('delete')}>
                Delete
              </button>
            </>
          )}
          {status !== 'draft' && status !== 'void' && (
            <>
              <Link className="btn" to={invoiceEditPath(id)}>
                Edit
              </Link>
              <button type="button" className="btn btn-ghost" onClick={() => setDialog('void')}>
                Void
              </button>
            </>
          )}
        </div>
      </div>

      {notice && <Alert kind="success">{notice}</Alert>}
      {actionError && <Alert kind="error">{actionError.message}</Alert>}

      <div className="detail-grid">
        <section className="card" aria-labelledby="amounts-title">
          <h2 id="amounts-title" className="section-title">
            Amounts
          </h2>
          <AmountSummary
            currency={currency}
            rows={[
              ['Total', invoice.total],
              ['Paid', invoice.amount_paid],
              ['Refunded', invoice.amount_refunded],
              // Refunds taken off what the client owes, so they are not asked for again.
              ...(isPositive(invoice.amount_credited || '0') ? [['Credited', invoice.amount_credited]] : []),
              ['Amount due', invoice.amount_due, true],
              ...(isPositive(invoice.amount_overpaid || '0') ? [['Overpaid', invoice.amount_overpaid]] : []),
            ]}
          />
          <dl className="meta">
            <div>
              <dt>Issued</dt>
              <dd>{formatDate(invoice.issue_date)}</dd>
            </div>
            <div>
              <dt>Due</dt>
              <dd>{formatDate(invoice.due_date)}</dd>
            </div>
            <div>
              <dt>Partial payments</dt>
              <dd>{invoice.allow_partial_payments ? 'Allowed' : 'Not allowed'}</dd>
            </div>
          </dl>
        </section>
        <PaymentLinkPanel invoice={invoice} />
      </div>

      <section className="card" aria-labelledby="payments-title">
        <div className="section-head">
          <h2 id="payments-title" className="section-title">
            Payments
          </h2>
          <button type="button" className="btn btn-small btn-ghost" onClick={reload} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        <PaymentsList payments={payments} onRefund={(payment) => setDialog({ refund: payment })} />
      </section>

      <section className="card" aria-labelledby="items-title">
        <h2 id="items-title" className="section-title">
          Items
        </h2>
        <ItemsTable items={invoice.items} currency={currency} />
      </section>

      {dialog === 'void' && (
        <ConfirmDialog
          title="Void this invoice?"
          message="Your client will no longer be able to pay it. This cannot be undone."
          confirmLabel="Void invoice"
          danger
          onConfirm={confirmVoid}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title="Delete this draft?"
          message="The draft and its items will be deleted."
          confirmLabel="Delete draft"
          danger
          onConfirm={confirmDelete}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.refund && <RefundDialog payment={dialog.refund} onClose={() => setDialog(null)} onRefunded={onRefunded} />}
    </>
  );
}
