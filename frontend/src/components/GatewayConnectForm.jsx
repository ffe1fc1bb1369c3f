import { useState } from 'react';
import Alert from './Alert.jsx';
import Field from './Field.jsx';
import { fieldError, messagesOf } from '../lib/apiClient.js';
import { createGatewayConfig } from '../services/paymentService.js';

function credentialError(error, name) {
  const nested = error?.details?.credentials;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
    const message = messagesOf(nested[name]).join(' ');
    if (message) return message;
  }
  return fieldError(error, `credentials.${name}`) || fieldError(error, name);
}

function blankCredentials(type) {
  return Object.fromEntries((type?.credential_fields || []).map((f) => [f.name, '']));
}

/**
 * Connects a gateway that needs keys. The fields come from the gateway type's
 * `credential_fields`; secrets are password inputs, cleared once saved and never shown again.
 */
export default function GatewayConnectForm({ types, onConnected }) {
  const [typeName, setTypeName] = useState(() => (types.find((t) => t.name === 'stripe') || types[0]).name);
  const type = types.find((t) => t.name === typeName) || types[0];
  const [displayName, setDisplayName] = useState('');
  const [mode, setMode] = useState('test');
  const [credentials, setCredentials] = useState(() => blankCredentials(type));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  function chooseType(name) {
    setTypeName(name);
    setCredentials(blankCredentials(types.find((t) => t.name === name)));
    setError(null);
  }

  async function onSubmit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const filled = Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    try {
      const config = await createGatewayConfig({
        gateway_name: type.name,
        display_name: displayName.trim() || type.display_name || type.name,
        mode,
        credentials: filled,
      });
      setCredentials(blankCredentials(type));
      setDisplayName('');
      setBusy(false);
      onConnected(config);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const credentialsMessage = messagesOf(error?.details?.credentials).join(' ');
  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-labelledby="connect-title">
      <h2 id="connect-title" className="section-title">
        Connect {type.display_name || type.name}
      </h2>
      <p className="muted small">
        Paste the API keys from your {type.display_name || type.name} dashboard. Secret keys are encrypted and never shown
        again; you will only see a masked preview.
      </p>
      {error && <Alert kind="error">{error.message} {credentialsMessage}</Alert>}
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
        {(p) => (
          <input {...p} name="display_name" placeholder={type.display_name || type.name} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        )}
      </Field>
      <fieldset className="field">
        <legend>Mode</legend>
        <div className="radio-row">
          {['test', 'live'].map((value) => (
            <label key={value} className="radio">
              <input type="radio" name="mode" value={value} checked={mode === value} onChange={() => setMode(value)} />
              {value === 'test' ? 'Test' : 'Live'}
            </label>
          ))}
        </div>
        {fieldError(error, 'mode') && <p className="field-error">{fieldError(error, 'mode')}</p>}
      </fieldset>
      {type.credential_fields.map((f) => (
        <Field key={f.name} label={`${f.label || f.name}${f.required ? '' : ' (optional)'}`} help={f.help_text} error={credentialError(error, f.name)}>
          {(p) => (
            <input
              {...p}
              name={f.name}
              type={f.secret ? 'password' : 'text'}
              autoComplete={f.secret ? 'new-password' : 'off'}
              spellCheck={false}
              required={f.required}
              value={credentials[f.name] ?? ''}
              onChange={(e) => setCredentials((c) => ({ ...c, [f.name]: e.target.value }))}
            />
          )}
        </Field>
      ))}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Connecting…' : `Connect ${type.display_name || type.name}`}
        </button>
      </div>
    </form>
  );
}
