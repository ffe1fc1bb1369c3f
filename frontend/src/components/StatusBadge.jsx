const LABELS = {
  draft: 'Draft',
  sent: 'Sent',
  partially_paid: 'Partially paid',
  paid: 'Paid',
  void: 'Void',
  pending: 'Pending',
  processing: 'Processing',
  succeeded: 'Succeeded',
  failed: 'Failed',
  expired: 'Expired',
  canceled: 'Canceled',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
};

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

export function statusLabel(status) {
  return LABELS[status] || String(status || '').replace(/_/g, ' ');
}

export default function StatusBadge({ status }) {
  return <span className={`badge badge-${TONES[status] || 'neutral'}`}>{statusLabel(status)}</span>;
}
