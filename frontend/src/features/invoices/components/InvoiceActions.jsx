import { Link } from 'react-router';
import { invoiceEditPath } from '../../../routes.js';

/** The buttons the API allows for this invoice now (`can_edit`, `can_send`, `can_delete`, `can_void`). */
export default function InvoiceActions({ invoice, sending, onSend, onAsk }) {
  return (
    <div className="actions">
      {invoice.can_edit && (
        <Link className="btn" to={invoiceEditPath(invoice.id)}>
          Edit
        </Link>
      )}
      {invoice.can_send && (
        <button type="button" className="btn btn-primary" onClick={onSend} disabled={Boolean(sending)}>
          {sending ? 'Sending…' : 'Send invoice'}
        </button>
      )}
      {invoice.can_delete && (
        <button type="button" className="btn btn-ghost" onClick={() => onAsk('delete')}>
          Delete
        </button>
      )}
      {invoice.can_void && (
        <button type="button" className="btn btn-ghost" onClick={() => onAsk('void')}>
          Void
        </button>
      )}
    </div>
  );
}
