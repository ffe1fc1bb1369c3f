import './linkAndActivity.css';
import { forwardRef, useImperativeHandle } from 'react';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import useLoad from '../../../lib/useLoad.js';
import { formatDate } from '../../../lib/dates.js';
import { formatMoney } from '../../../lib/money.js';
import { getActivity } from '../api/invoiceService.js';

const ACTORS = { owner: 'you', client: 'your client', system: 'Trackify' };

/** One line saying what the event's details add: an amount, a recipient, how many visits. */
export function eventNote(event, currency, exponent) {
  const d = event.details || {};
  const parts = [];
  if (d.amount && d.currency) parts.push(formatMoney(d.amount, d.currency, d.currency === currency ? exponent : undefined));
  if (d.to) parts.push(`to ${d.to}`);
  if (event.kind === 'viewed') parts.push(d.view === 'last' ? `last visit (${d.count} in all)` : 'first visit');
  if (d.reason) parts.push(d.reason);
  if (d.effect === 'reopen') parts.push('the client owes it again');
  return parts.join(' · ');
}

/** The invoice's timeline, oldest first, as the API records it. `ref.reload()` reads it again. */
const ActivityTimeline = forwardRef(function ActivityTimeline({ invoice }, ref) {
  const { loading, data, error, reload } = useLoad(() => getActivity(invoice.id), [invoice.id]);
  useImperativeHandle(ref, () => ({ reload }), [reload]);

  let body;
  if (loading && !data) body = <Loading label="Loading activity…" />;
  else if (error && !data) body = <LoadError title="Could not load the activity" error={error} onRetry={reload} />;
  else if (!data.length) body = <p className="muted">Nothing has happened yet.</p>;
  else {
    body = (
      <ol className="timeline" data-testid="timeline">
        {data.map((event, index) => {
          const note = eventNote(event, invoice.currency, invoice.currency_exponent);
          return (
            <li key={`${event.at}-${event.kind}-${index}`} className="timeline-row">
              <time dateTime={event.at} className="muted small">
                {formatDate(event.at)}
              </time>
              <span>
                <strong>{event.kind_display || event.kind}</strong>
                <span className="muted"> by {ACTORS[event.actor] || event.actor}</span>
                {note && <span className="block small">{note}</span>}
              </span>
            </li>
          );
        })}
      </ol>
    );
  }

  return (
    <section className="card" aria-labelledby="activity-title">
      <div className="section-head">
        <h2 id="activity-title" className="section-title">
          Activity
        </h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={reload} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {body}
    </section>
  );
});

export default ActivityTimeline;
