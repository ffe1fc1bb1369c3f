import { formatDate } from '../../../lib/dates.js';
import { scheduleLabel } from './recurringForm.js';

/** The owner's templates: schedule, next issue date, status, autopay, and the actions. */
export default function RecurringTable({ templates, busy, onEdit, onPause, onResume, onCancel }) {
  return (
    <div className="card card-flush">
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Schedule</th>
              <th scope="col">Next invoice</th>
              <th scope="col">Status</th>
              <th scope="col">Autopay</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.id}>
                <td data-label="Client">{t.client_name}</td>
                <td data-label="Schedule">{scheduleLabel(t)}</td>
                <td data-label="Next invoice">{t.next_issue_date ? formatDate(t.next_issue_date) : '—'}</td>
                <td data-label="Status">
                  <span className={`badge badge-${t.status === 'active' ? 'success' : 'neutral'}`}>{t.status}</span>
                </td>
                <td data-label="Autopay">
                  {t.autopay ? (
                    <span className="badge badge-info" title={t.autopay_method || undefined}>
                      Autopay on
                    </span>
                  ) : (
                    <span className="muted">Off</span>
                  )}
                </td>
                <td data-label="Actions">
                  {t.status !== 'canceled' && (
                    <div className="row-actions">
                      <button className="btn btn-small" type="button" onClick={() => onEdit(t)} disabled={busy}>
                        Edit
                      </button>
                      {t.status === 'active' ? (
                        <button className="btn btn-small" type="button" onClick={() => onPause(t)} disabled={busy}>
                          Pause
                        </button>
                      ) : (
                        <button className="btn btn-small" type="button" onClick={() => onResume(t)} disabled={busy}>
                          Resume
                        </button>
                      )}
                      <button className="btn btn-small btn-danger" type="button" onClick={() => onCancel(t)} disabled={busy}>
                        Cancel
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
