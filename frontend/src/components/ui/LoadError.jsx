import Alert from './Alert.jsx';

/** What a page shows when its data could not be loaded: what failed, the API's message, a retry. */
export default function LoadError({ title, error, onRetry }) {
  return (
    <Alert
      kind="error"
      title={title}
      action={
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      }
    >
      {error.message}
    </Alert>
  );
}
