import { useState } from 'react';
import Dialog from './Dialog.jsx';
import Alert from './Alert.jsx';
import CredentialFields, { blankCredentials, filledCredentials } from './CredentialFields.jsx';
import ModeField from './ModeField.jsx';
import { updateGatewayConfig } from '../services/paymentService.js';

/** Replaces some of a config's keys (e.g. adds the webhook secret after creating the endpoint). */
export default function UpdateKeysDialog({ config, type, onClose, onSaved }) {
  const [values, setValues] = useState(() => blankCredentials(type));
  const [mode, setMode] = useState(config.mode);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = { credentials: filledCredentials(values) };
    if (mode !== config.mode) body.mode = mode;
    try {
      const saved = await updateGatewayConfig(config.id, body);
      onSaved(saved);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Update ${config.display_name || config.gateway_name} keys`} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        {/* The API's message names each field by its label; each problem also shows under its input. */}
        {error && <Alert kind="error">{error.message}</Alert>}
        <ModeField value={mode} onChange={setMode} error={error} />
        <CredentialFields type={type} values={values} onChange={setValues} error={error} keepBlank />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save keys'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
