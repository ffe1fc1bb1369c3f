import { useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import { invoicePdfUrl, listInvoiceEmails, retryEmail } from '../api/notificationService.js';
import EmailInvoiceDialog from './EmailInvoiceDialog.jsx';
import EmailLog from './EmailLog.jsx';

/**
 * The invoice page's Emails section: email the invoice to the client, download its PDF, and see
 * every email sent about it (a failed one can be retried). `onSent` lets the page reload the
 * invoice (emailing a draft sends it).
 */
export default function InvoiceEmails({ invoice, onSent }) {
  const { loading, data, error, reload } = useLoad(() => listInvoiceEmails(invoice.id), [invoice.id]);
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState(null);
  const { run, busy: retrying, error: retryError } = useSubmit();
  const canEmail = invoice.status !== 'void';

  function onQueued(email) {
    setOpen(false);
    setNotice(`Invoice emailed to ${email.to}.`);
    reload();
    if (onSent && invoice.status === 'draft') onSent();
  }

  async function retry(email) {
    const queued = await run(() => retryEmail(invoice.id, email.id), email.id);
    if (queued !== undefined) {
      setNotice(`Sending the email to ${email.to} again.`);
      reload();
    }
  }

  return (
    <section className="card" aria-labelledby="emails-title">
      <div className="section-head">
        <h2 id="emails-title" className="section-title">
          Emails
        </h2>
        <div className="actions">
          <a className="btn btn-small btn-ghost" href={invoicePdfUrl(invoice.id)} download>
            Download PDF
          </a>
          <button type="button" className="btn btn-small btn-ghost" onClick={reload} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
          {canEmail && (
            <button type="button" className="btn btn-small btn-primary" onClick={() => setOpen(true)}>
              Email invoice
            </button>
          )}
        </div>
      </div>
      {notice && <Alert kind="success">{notice}</Alert>}
      {(retryError || error) && <Alert kind="error">{(retryError || error).message}</Alert>}
      {data && <EmailLog emails={data} onRetry={retry} retrying={retrying} />}
      {open && <EmailInvoiceDialog invoice={invoice} onClose={() => setOpen(false)} onQueued={onQueued} />}
    </section>
  );
}
