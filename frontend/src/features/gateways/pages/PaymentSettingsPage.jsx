import { useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import ConfirmDialog from '../../../components/ui/ConfirmDialog.jsx';
import GatewayConfigCard from '../components/GatewayConfigCard.jsx';
import GatewayConnectForm from '../components/GatewayConnectForm.jsx';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import useTitle from '../../../lib/useTitle.js';
import { createGatewayConfig, deleteGatewayConfig, listGatewayConfigs, listGatewayTypes } from '../api/gatewayService.js';

async function loadSettings() {
  const [configs, types] = await Promise.all([listGatewayConfigs(), listGatewayTypes()]);
  return { configs, types };
}

export default function PaymentSettingsPage() {
  useTitle('Payment settings');
  const { loading, data, error, reload } = useLoad(loadSettings, []);
  const [notice, setNotice] = useState(null);
  const { run, busy: addingSandbox, error: actionError } = useSubmit();
  const [deleting, setDeleting] = useState(null);

  if (loading && !data) return <Loading label="Loading payment settings…" />;
  if (error && !data) {
    return <LoadError title="Could not load payment settings" error={error} onRetry={reload} />;
  }

  const { configs, types } = data;
  const keyedTypes = types.filter((t) => (t.credential_fields || []).length > 0);
  const hasSandboxType = types.some((t) => t.name === 'sandbox');

  function addSandbox() {
    run(async () => {
      await createGatewayConfig({ gateway_name: 'sandbox', display_name: 'Sandbox' });
      setNotice('Sandbox gateway added. Your clients can now pay with test payments.');
      await reload();
    });
  }

  async function confirmDelete() {
    await deleteGatewayConfig(deleting.id);
    setNotice(`${deleting.display_name || deleting.gateway_name} was removed.`);
    setDeleting(null);
    reload();
  }

  return (
    <>
      <div className="page-head">
        <div>
          <h1 className="page-title">Payment settings</h1>
          <p className="muted">Connect the payment gateway your clients pay through. The default active gateway is used for new checkouts.</p>
        </div>
        {hasSandboxType && (
          <button type="button" className="btn" onClick={addSandbox} disabled={addingSandbox}>
            {addingSandbox ? 'Adding…' : 'Add sandbox gateway'}
          </button>
        )}
      </div>
      {notice && <Alert kind="success">{notice}</Alert>}
      {actionError && <Alert kind="error">{actionError.message}</Alert>}

      <section aria-labelledby="connected-title">
        <h2 id="connected-title" className="section-title">
          Connected gateways
        </h2>
        {configs.length === 0 ? (
          <div className="card empty">
            <p>No gateway connected yet, so clients cannot pay online.</p>
            <p className="muted small">Connect Stripe below, or add the sandbox gateway to try payments without real money.</p>
          </div>
        ) : (
          <ul className="gateways">
            {configs.map((config) => (
              <GatewayConfigCard
                key={config.id}
                config={config}
                type={types.find((t) => t.name === config.gateway_name)}
                onChanged={reload}
                onDelete={setDeleting}
              />
            ))}
          </ul>
        )}
      </section>

      {keyedTypes.length > 0 && (
        <GatewayConnectForm
          types={keyedTypes}
          onConnected={(config) => {
            const name = config.display_name || config.gateway_name;
            setNotice(
              config.verified
                ? `${name} connected: the keys are verified${config.webhook_mode === 'managed' ? ' and the webhook is managed by Trackify' : ''}.`
                : `${name} saved but not verified yet. ${config.verify_error || ''}`.trim(),
            );
            reload();
          }}
        />
      )}

      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.display_name || deleting.gateway_name}?`}
          message="Clients will no longer be able to pay through this gateway. Existing payments are kept."
          confirmLabel="Delete"
          danger
          onConfirm={confirmDelete}
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}
