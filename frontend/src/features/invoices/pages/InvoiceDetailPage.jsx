import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import Alert from '../../../components/ui/Alert.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import StatusBadge from '../../../components/ui/StatusBadge.jsx';
import ItemsTable from '../../../components/ui/ItemsTable.jsx';
import ConfirmDialog from '../../../components/ui/ConfirmDialog.jsx';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import useTitle from '../../../lib/useTitle.js';
import { formatMoney } from '../../../lib/money.js';
import { PaymentsList, RefundDialog, listInvoicePayments } from '../../payments/index.js';
import { InvoiceEmails } from '../../notifications/index.js';
import InvoiceActions from '../components/InvoiceActions.jsx';
import InvoiceAmounts from '../components/InvoiceAmounts.jsx';
import PaymentLinkPanel from '../components/PaymentLinkPanel.jsx';
import ActivityTimeline from '../components/ActivityTimeline.jsx';
import RemindersPanel from '../components/RemindersPanel.jsx';
import { deleteInvoice, getInvoice, sendInvoice, voidInvoice } from '../api/invoiceService.js';
import { paths } from '../../../routes.js';

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
  const { run, busy: sending, error: actionError } = useSubmit();
  const timeline = useRef(null);
  const reloadAll = () => {
    reload();
    timeline.current?.reload();
  };
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
  const { currency } = invoice;

  async function send() {
    const updated = await run(() => sendInvoice(id));
    if (!updated) return;
    setData({ invoice: { ...invoice, ...updated }, payments });
    setNotice('Invoice sent. Share the payment link below with your client.');
    timeline.current?.reload();
  }

  function onLinkChanged(updated, message) {
    setData({ invoice: { ...invoice, ...updated }, payments });
    setNotice(message);
    timeline.current?.reload();
  }

  async function confirmVoid() {
    await voidInvoice(id);
    setDialog(null);
    setNotice('Invoice voided. The payment link no longer accepts payments.');
    reloadAll();
  }

  async function confirmDelete() {
    await deleteInvoice(id);
    navigate(paths.invoices, { replace: true });
  }

  function onRefunded(refund) {
    setDialog(null);
    const done = refund.status === 'succeeded' ? 'made' : 'requested';
    const effect = EFFECT_NOTICE[refund.invoice_effect] || '';
    setNotice(`Refund of ${formatMoney(refund.amount, refund.currency || currency, invoice.currency_exponent)} ${done}${effect}.`);
    reloadAll();
  }

  return (
    <>
      <div className="page-head">
        <div>
          <p className="muted small">
            <Link to={paths.invoices}>Invoices</Link> /
          </p>
          <h1 className="page-title">
            Invoice {invoice.number} <StatusBadge status={invoice.status} label={invoice.status_display} />
          </h1>
          <p className="muted">
            {invoice.client_name}
            {invoice.client_email ? ` · ${invoice.client_email}` : ''}
          </p>
        </div>
        <InvoiceActions invoice={invoice} sending={sending} onSend={send} onAsk={setDialog} />
      </div>

      {notice && <Alert kind="success">{notice}</Alert>}
      {actionError && <Alert kind="error">{actionError.message}</Alert>}

      <div className="detail-grid">
        <InvoiceAmounts invoice={invoice} />
        <PaymentLinkPanel invoice={invoice} onChange={onLinkChanged} />
      </div>

      <section className="card" aria-labelledby="payments-title">
        <div className="section-head">
          <h2 id="payments-title" className="section-title">
            Payments
          </h2>
          <button type="button" className="btn btn-small btn-ghost" onClick={reloadAll} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
        <PaymentsList payments={payments} onRefund={(payment) => setDialog({ refund: payment })} />
      </section>

      <InvoiceEmails invoice={invoice} onSent={reloadAll} />
      <RemindersPanel invoice={invoice} />

      <section className="card" aria-labelledby="items-title">
        <h2 id="items-title" className="section-title">
          Items
        </h2>
        <ItemsTable items={invoice.items} currency={currency} exponent={invoice.currency_exponent} />
      </section>

      <ActivityTimeline ref={timeline} invoice={invoice} />

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
