import { useState } from 'react';
import useSubmit from '../../../lib/useSubmit.js';
import Dialog from '../../../components/ui/Dialog.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import { fieldError } from '../../../lib/apiClient.js';
import { emailInvoice } from '../api/notificationService.js';

/** Asks whom to email the invoice to (the client's email to start with) and queues the email. */
export default function EmailInvoiceDialog({ invoice, onClose, onQueued }) {
  const [to, setTo] = useState(invoice.client_email || '');
  const { run, busy, error } = useSubmit({ keepBusy: true });
  const draft = invoice.status === 'draft';

  async function onSubmit(event) {
    event.preventDefault();
    const queued = await run(() => emailInvoice(invoice.id, to.trim()));
    if (queued !== undefined) onQueued(queued);
  }

  const toError = fieldError(error, 'to');
  return (
    <Dialog
      title="Email invoice"
      description={`Your client gets invoice ${invoice.number} with its payment link and the PDF attached.${
        draft ? ' The draft is sent first, so it can be paid.' : ''
      }`}
      onClose={onClose}
    >
      <form onSubmit={onSubmit} noValidate>
        {error && <Alert kind="error">{error.message}</Alert>}
        <Field label="To" error={toError && toError !== error.message ? toError : ''}>
          {(p) => <input {...p} name="to" type="email" value={to} onChange={(e) => setTo(e.target.value)} data-autofocus />}
        </Field>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send email'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
