import { useState } from 'react';
import useSubmit from '../../../lib/useSubmit.js';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import CredentialFields, { blankCredentials, filledCredentials } from './CredentialFields.jsx';
import ModeField from './ModeField.jsx';
import { fieldError } from '../../../lib/apiClient.js';
import { createGatewayConfig } from '../api/gatewayService.js';

/**
 * Connects a gateway that needs keys. The fields come from the gateway type's
 * `credential_fields`; secrets are cleared once saved and never shown again.
 */
export default function GatewayConnectForm({ types, onConnected }) {
  const [typeName, setTypeName] = useState(() => (types.find((t) => t.name === 'stripe') || types[0]).name);
  const type = types.find((t) => t.name === typeName) || types[0];
  const [displayName, setDisplayName] = useState('');
  const [mode, setMode] = useState('test');
  const [credentials, setCredentials] = useState(() => blankCredentials(type));
  const { run, busy, error, setError } = useSubmit();
  const label = type.display_name || type.name;

  function chooseType(name) {
    setTypeName(name);
    setCredentials(blankCredentials(types.find((t) => t.name === name)));
    setError(null);
  }

  async function onSubmit(event) {
    event.preventDefault();
    const config = await run(() =>
      createGatewayConfig({
        gateway_name: type.name,
        display_name: displayName.trim() || label,
        mode,
        credentials: filledCredentials(credentials),
      }),
    );
    if (!config) return;
    setCredentials(blankCredentials(type));
    setDisplayName('');
    onConnected(config);
  }

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-labelledby="connect-title">
      <h2 id="connect-title" className="section-title">
        Connect {label}
      </h2>
      <p className="muted small">
        Paste the API keys from your {label} dashboard. Secret keys are encrypted and never shown again; you will only
        see a masked preview.
      </p>
      {/* The API's message names each field by its label; each problem also shows under its input. */}
      {error && <Alert kind="error">{error.message}</Alert>}
      {types.length > 1 && (
        <Field label="Gateway">
          {(p) => (
            <select {...p} value={type.name} onChange={(e) => chooseType(e.target.value)}>
              {types.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.display_name || t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label="Display name" error={fieldError(error, 'display_name')} help="How this connection is labelled in Trackify.">
        {(p) => <input {...p} name="display_name" placeholder={label} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <ModeField value={mode} onChange={setMode} error={error} />
      <CredentialFields type={type} values={credentials} onChange={setCredentials} error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Connecting…' : `Connect ${label}`}
        </button>
      </div>
    </form>
  );
}
