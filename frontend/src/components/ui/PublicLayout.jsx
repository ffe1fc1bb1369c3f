import { useEffect } from 'react';

/** The frame of the pages a client sees: no account navigation, just the invoice. */
export default function PublicLayout({ title, children }) {
  useEffect(() => {
    document.title = title ? `${title} · Trackify` : 'Trackify';
  }, [title]);
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="public-header">
        <span className="brand">Trackify</span>
        <span className="muted small">Secure invoice payment</span>
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="public-footer muted small">Payments are processed on the payment provider's secure checkout page.</footer>
    </div>
  );
}
