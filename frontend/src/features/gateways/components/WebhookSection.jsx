import CopyButton from '../../../components/ui/CopyButton.jsx';

/**
 * How the gateway's webhooks reach Trackify. "Managed": Trackify created the endpoint on the
 * user's account and holds its secret. "Manual": the user registered the URL and pasted the
 * signing secret. Gateways that can manage endpoints offer "Repair webhooks" (re-create it).
 */
export default function WebhookSection({ config, busy, onRepair }) {
  const managed = config.webhook_mode === 'managed';
  const canManage = Boolean(config.manages_webhooks);
  return (
    <div className="webhook" aria-label="Webhook">
      <p className="small">
        <span className="muted">Webhook: </span>
        {managed ? (
          <span className="badge badge-success">Managed by Trackify</span>
        ) : (
          <span className="badge badge-neutral">Manual: paste the signing secret</span>
        )}
      </p>
      {managed ? (
        <p className="small muted">Trackify created this endpoint on your account with the events it needs; nothing to set up.</p>
      ) : (
        <>
          <p className="small muted">
            Register this URL as a webhook endpoint in your gateway&apos;s dashboard, then paste its signing secret with
            &quot;Update keys&quot;.
          </p>
          <div className="link-row">
            <code className="webhook-url">{config.webhook_url}</code>
            <CopyButton text={config.webhook_url} label="Copy" className="btn btn-small" />
          </div>
        </>
      )}
      {canManage && config.verified && (
        <button type="button" className="btn btn-small" disabled={Boolean(busy)} onClick={onRepair}>
          {busy === 'repair' ? 'Repairing…' : 'Repair webhooks'}
        </button>
      )}
    </div>
  );
}
