// Colours only: the words come from the API (`status_display`), which owns the statuses.
const TONES = {
  draft: 'neutral',
  sent: 'info',
  partially_paid: 'warning',
  paid: 'success',
  void: 'neutral',
  pending: 'info',
  processing: 'info',
  succeeded: 'success',
  failed: 'danger',
  expired: 'neutral',
  canceled: 'neutral',
  partially_refunded: 'warning',
  refunded: 'neutral',
};

/** A status as the API words it (`label`, its `status_display`), coloured by its code. */
export default function StatusBadge({ status, label }) {
  return <span className={`badge badge-${TONES[status] || 'neutral'}`}>{label || String(status || '').replace(/_/g, ' ')}</span>;
}
