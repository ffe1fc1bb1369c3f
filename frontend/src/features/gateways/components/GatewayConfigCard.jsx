import { useState } from 'react';
import useSubmit from '../../../lib/useSubmit.js';
import Alert from '../../../components/ui/Alert.jsx';
import UpdateKeysDialog from './UpdateKeysDialog.jsx';
import WebhookSection from './WebhookSection.jsx';
import { credentialLabel } from './CredentialFields.jsx';
import { repairGatewayWebhooks, updateGatewayConfig, verifyGatewayConfig } from '../api/gatewayService.js';

/** What the card says about a config: only keys the gateway has accepted are "Active". */
function statusBadge(config) {
  if (!config.is_active) return { className: 'badge-neutral', text: 'Inactive' };
  if (!config.verified) return { className: 'badge-warning', text: 'Not verified' };
  return { className: 'badge-success', text: 'Active' };
}

/** One connected gateway: what it is, its masked keys, its webhook URL and what can be done with it. */
export default function GatewayConfigCard({ config, type, onChanged, onDelete }) {
  const { run: submit, busy, error, setError } = useSubmit();
  const [editingKeys, setEditingKeys] = useState(false);
  const hasKeys = Boolean(type && type.credential_fields && type.credential_fields.length);
  const [notice, setNotice] = useState('');
  const preview = Object.entries(config.credentials_preview || {});
  const title = config.display_name || config.gateway_name;
  const status = statusBadge(config);
  // The API says whether the provider must be told the webhook URL; the sandbox delivers its own.
  const showWebhook = Boolean(config.webhook_url) && (config.needs_webhook_setup ?? type?.needs_webhook_setup ?? true);
  const verify = () =>
    run('verify', () => verifyGatewayConfig(config.id), (d) => d?.message || 'Connection verified: the gateway accepted the credentials.');
  const repair = () =>
    run('repair', () => repairGatewayWebhooks(config.id), () => 'Webhooks repaired: a new endpoint receives the events.');

  async function run(label, action, success) {
    setNotice('');
    const data = await submit(action, label);
    if (data !== undefined && success) setNotice(success(data));
    onChanged(); // a verify changes whether the config is verified, whatever it answered
  }

  return (
    <li className="card gateway" aria-label={title}>
      <div className="gateway-head">
        <div>
          <h3 className="gateway-title">{title}</h3>
          <p className="muted small">{config.gateway_name}</p>
        </div>
        <div className="badges">
          <span className={`badge ${config.mode === 'live' ? 'badge-success' : 'badge-info'}`}>{config.mode === 'live' ? 'Live' : 'Test'}</span>
          <span className={`badge ${status.className}`}>{status.text}</span>
          {config.is_default && <span className="badge badge-primary">Default</span>}
        </div>
      </div>
      {preview.length > 0 && (
        <dl className="meta meta-keys">
          {preview.map(([name, value]) => (
            <div key={name}>
              <dt>{credentialLabel(type, name)}</dt>
              <dd>
                <code>{String(value)}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {hasKeys && (
        <p className="small" aria-label="Verification">
          {config.verified ? (
            <span className="badge badge-success">Verified</span>
          ) : (
            <>
              {/* An active config already says "Not verified" in its badge above. */}
              {!config.is_active && <span className="badge badge-warning">Not verified</span>}{' '}
              <span className="muted">
                {config.verify_error || 'Not verified yet: the gateway has not accepted these keys. Use Verify before clients pay through it.'}
              </span>{' '}
              {config.verify_error && (
                <button type="button" className="btn btn-small btn-primary" disabled={Boolean(busy)} onClick={verify}>
                  {busy === 'verify' ? 'Retrying…' : 'Retry'}
                </button>
              )}
            </>
          )}
        </p>
      )}
      {showWebhook && <WebhookSection config={config} busy={busy} onRepair={repair} />}
      {error && <Alert kind="error">{error.message}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}
      <div className="actions">
        <button
          type="button"
          className={`btn btn-small ${config.verified ? '' : 'btn-primary'}`}
          disabled={Boolean(busy)}
          onClick={verify}
        >
          {busy === 'verify' ? 'Verifying…' : 'Verify'}
        </button>
        {!config.is_default && config.is_active && (
          <button type="button" className="btn btn-small" disabled={Boolean(busy)} onClick={() => run('default', () => updateGatewayConfig(config.id, { is_default: true }))}>
            Make default
          </button>
        )}
        <button
          type="button"
          className="btn btn-small"
          disabled={Boolean(busy)}
          onClick={() => run('active', () => updateGatewayConfig(config.id, { is_active: !config.is_active }))}
        >
          {config.is_active ? 'Deactivate' : 'Activate'}
        </button>
        {hasKeys && (
          <button type="button" className="btn btn-small" disabled={Boolean(busy)} onClick={() => setEditingKeys(true)}>
            Update keys
          </button>
        )}
        <button type="button" className="btn btn-small btn-ghost" disabled={Boolean(busy)} onClick={() => onDelete(config)}>
          Delete
        </button>
      </div>
      {editingKeys && (
        <UpdateKeysDialog
          config={config}
          type={type}
          onClose={() => setEditingKeys(false)}
          onSaved={() => {
            setEditingKeys(false);
            setError(null);
            setNotice('Keys saved.');
            onChanged();
          }}
        />
      )}
    </li>
  );
}
