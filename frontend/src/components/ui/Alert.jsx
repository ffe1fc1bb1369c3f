/** A message box; errors are announced to screen readers straight away. */
export default function Alert({ kind = 'info', title, children, action }) {
  const role = kind === 'error' ? 'alert' : 'status';
  return (
    <div className={`alert alert-${kind}`} role={role}>
      {title && <p className="alert-title">{title}</p>}
      {children && <div className="alert-body">{children}</div>}
      {action && <div className="alert-action">{action}</div>}
    </div>
  );
}
