import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { SignInReason, logout, useAuth } from '../features/auth/index.js';
import { paths } from '../routes.js';

/** The signed-in frame: brand, navigation and sign-out. */
export default function Layout() {
  const { user, endSession } = useAuth();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const { pathname } = useLocation();
  const mainRef = useRef(null);
  const firstRender = useRef(true);

  // After a client-side navigation, keyboard and screen-reader users start at the new page's content.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (mainRef.current) mainRef.current.focus({ preventScroll: false });
  }, [pathname]);

  async function signOut() {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // Signing out locally is still right if the session is already gone.
    }
    endSession(SignInReason.signedOut);
    navigate(paths.login, { replace: true, state: { reason: SignInReason.signedOut } });
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <NavLink to={paths.invoices} className="brand">
            Trackify
          </NavLink>
          <nav aria-label="Main" className="nav">
            <NavLink to={paths.invoices} className="nav-link">
              Invoices
            </NavLink>
            <NavLink to={paths.recurring} className="nav-link">
              Recurring
            </NavLink>
            <NavLink to={paths.reports} className="nav-link">
              Reports
            </NavLink>
            <NavLink to={paths.paymentSettings} className="nav-link">
              Payment settings
            </NavLink>
            <NavLink to={paths.businessProfile} className="nav-link">
              Business profile
            </NavLink>
            {user && <span className="muted small user-name">{user.username}</span>}
            <button type="button" className="nav-link nav-button" onClick={signOut} disabled={signingOut}>
              Sign out
            </button>
          </nav>
        </div>
      </header>
      <main id="main" ref={mainRef} className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
