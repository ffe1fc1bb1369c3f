import Dialog from './Dialog.jsx';
import Alert from './Alert.jsx';
import useSubmit from '../../lib/useSubmit.js';

/** Asks before a destructive action; shows the API's message if the action fails. */
export default function ConfirmDialog({ title, message, confirmLabel = 'Confirm', danger = false, onConfirm, onClose }) {
  // Stays busy once confirmed: the dialog closes as the action succeeds.
  const { run, busy, error } = useSubmit({ keepBusy: true });
  const confirm = () => run(onConfirm);

  return (
    <Dialog title={title} description={message} onClose={onClose}>
      {error && <Alert kind="error">{error.message}</Alert>}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
