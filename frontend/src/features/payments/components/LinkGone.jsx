import Alert from '../../../components/ui/Alert.jsx';

const TEXT = {
  link_expired: {
    title: 'This payment link has expired',
    text: 'The business that sent it set this link to stop working after a date. Ask them for a new link if you still need to pay.',
  },
  link_revoked: {
    title: 'This payment link no longer works',
    text: 'The business that sent it has turned this link off or replaced it with a new one. Ask them for the current link if you still need to pay.',
  },
};

/** Whether an API error means the link itself is gone (410), not that loading failed. */
export const isLinkGone = (error) => error?.status === 410;

/** The page a client sees on a revoked, replaced or expired link (the API's 410). */
export default function LinkGone({ error, children }) {
  const { title, text } = TEXT[error?.code] || TEXT.link_revoked;
  return (
    <Alert kind="warning" title={title}>
      <span data-testid="link-gone">{text}</span>
      {children}
    </Alert>
  );
}
