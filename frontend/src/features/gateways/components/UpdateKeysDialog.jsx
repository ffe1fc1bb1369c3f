import { useState } from 'react';
import useSubmit from '../../../lib/useSubmit.js';
import Dialog from '../../../components/ui/Dialog.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import CredentialFields, { blankCredentials, filledCredentials } from './CredentialFields.jsx';
import ModeField from './ModeField.jsx';
import { updateGatewayConfig } from '../api/gatewayService.js';

/** Replaces some of a config's keys (e.g. adds the webhook secret after creating the endpoint). */
export default function UpdateKeysDialog({ config, type, onClose, onSaved }) {
  const [values, setValues] = useState(() => blankCredentials(type));
  const [mode, setMode] = useState(config.mode);
  // Stays busy once saved: the dialog closes.
  const { run, busy, error } = useSubmit({ keepBusy: true });

  async function onSubmit(event) {
    event.preventDefault();
    const body = { credentials: filledCredentials(values) };
    if (mode !== config.mode) body.mode = mode;
    const saved = await run(() => updateGatewayConfig(config.id, body));
    if (saved !== undefined) onSaved(saved);
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
