import './linkAndActivity.css';
import { useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import ConfirmDialog from '../../../components/ui/ConfirmDialog.jsx';
import useSubmit from '../../../lib/useSubmit.js';
import { formatDate } from '../../../lib/dates.js';
import { regenerateLink, revokeLink, setLinkExpiry } from '../api/invoiceService.js';

const STATE_TEXT = {
  live: 'The link works.',
  revoked: 'The link is turned off: your client sees that it no longer works.',
  expired: 'The link has expired: your client sees that it no longer works.',
};

const ASK = {
  revoke: {
    title: 'Turn this link off?',
    message: 'Anyone opening the current link will see that it no longer works. You can make a new link later.',
    label: 'Turn link off',
    danger: true,
  },
  regenerate: {
    title: 'Make a new link?',
    message: 'The current link stops working for good; share the new link with your client.',
    label: 'Make new link',
    danger: false,
  },
};

/** A datetime-local value ("2026-05-01T17:00") for an ISO date-time, in the browser's time. */
function localValue(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Revoke, regenerate and expiry of the invoice's payment link. */
export default function LinkControls({ invoice, onChange }) {
  const [ask, setAsk] = useState(null); // 'revoke' | 'regenerate'
  const [expiry, setExpiry] = useState(localValue(invoice.link_expires_at));
  const { run, busy, error } = useSubmit();
  const actions = { revoke: () => revokeLink(invoice.id), regenerate: () => regenerateLink(invoice.id) };

  async function confirm() {
    const updated = await actions[ask]();
    setAsk(null);
    onChange(updated, ask === 'revoke' ? 'The payment link is turned off.' : 'A new payment link is ready.');
  }

  async function saveExpiry(value) {
    const updated = await run(() => setLinkExpiry(invoice.id, value ? new Date(value).toISOString() : null));
    if (!updated) return;
    setExpiry(localValue(updated.link_expires_at));
    onChange(updated, updated.link_expires_at ? `The link now expires ${formatDate(updated.link_expires_at)}.` : 'The link no longer expires.');
  }

  return (
    <div className="link-controls">
      <p className="small" data-testid="link-state">
        {STATE_TEXT[invoice.link_state] || STATE_TEXT.live}
        {invoice.link_state === 'live' && invoice.link_expires_at && ` It expires ${formatDate(invoice.link_expires_at)}.`}
      </p>
      {error && <Alert kind="error">{error.message}</Alert>}
      <div className="link-row">
        {invoice.link_state !== 'revoked' && (
          <button type="button" className="btn" onClick={() => setAsk('revoke')}>
            Turn link off
          </button>
        )}
        <button type="button" className="btn" onClick={() => setAsk('regenerate')}>
          New link
        </button>
      </div>
      {invoice.can_edit && (
        <form className="link-row" onSubmit={(e) => { e.preventDefault(); saveExpiry(expiry); }}>
          <label htmlFor="link-expiry" className="small">
            Link expires
          </label>
          <input id="link-expiry" type="datetime-local" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
          <button type="submit" className="btn btn-small" disabled={busy || !expiry}>
            Save expiry
          </button>
          {invoice.link_expires_at && (
            <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => saveExpiry('')}>
              Never expire
            </button>
          )}
        </form>
      )}
      {ask && (
        <ConfirmDialog
          title={ASK[ask].title}
          message={ASK[ask].message}
          confirmLabel={ASK[ask].label}
          danger={ASK[ask].danger}
          onConfirm={confirm}
          onClose={() => setAsk(null)}
        />
      )}
    </div>
  );
}
