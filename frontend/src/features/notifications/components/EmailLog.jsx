import StatusBadge from '../../../components/ui/StatusBadge.jsx';
import { formatDate } from '../../../lib/dates.js';

const TONE = { sent: 'succeeded', failed: 'failed', queued: 'pending', sending: 'processing', skipped: 'canceled' };

/** Every email about the invoice: what, to whom, when, and what became of it (Retry when failed). */
export default function EmailLog({ emails, onRetry, retrying }) {
  if (emails.length === 0) return <p className="muted">No emails yet.</p>;
  return (
    <div className="table-wrap">
    <table className="table" aria-label="Emails">
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">To</th>
          <th scope="col">Status</th>
          <th scope="col">When</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {emails.map((email) => (
          <tr key={email.id} data-email-status={email.status}>
            <td>
              {email.kind_display}
              {email.error && <p className="field-error small">{email.error}</p>}
            </td>
            <td>{email.to}</td>
            <td>
              <StatusBadge status={TONE[email.status] || email.status} label={email.status_display} />
            </td>
            <td>{formatDate(email.sent_at || email.created_at)}</td>
            <td>
              {email.can_retry && (
                <button type="button" className="btn btn-small" onClick={() => onRetry(email)} disabled={retrying === email.id}>
                  {retrying === email.id ? 'Retrying…' : 'Retry'}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
