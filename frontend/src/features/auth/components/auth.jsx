import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { getCurrentUser } from '../api/authService.js';
import { setUnauthorizedHandler } from '../../../lib/apiClient.js';
import { loginPath } from '../../../routes.js';
import Loading from '../../../components/ui/Loading.jsx';
import LoadError from '../../../components/ui/LoadError.jsx';

const AuthContext = createContext(null);

/** Why a visitor is on the sign-in page; the page words its message after it. */
export const SignInReason = Object.freeze({
  required: 'required', // opened a page that needs an account
  expired: 'expired', // the session ended while they used the app
  signedOut: 'signed_out',
});

/**
 * Holds the signed-in user: undefined while unknown, null when signed out, and why the session
 * ended (`reason`), which the route guard passes on to the sign-in page.
 */
export function AuthProvider({ children, initialUser }) {
  const [user, setUser] = useState(initialUser);
  const [reason, setReason] = useState(SignInReason.required);
  const endSession = useCallback((why) => {
    setReason(why);
    setUser(null);
  }, []);
  useEffect(() => setUnauthorizedHandler(() => endSession(SignInReason.expired)), [endSession]);
  return <AuthContext.Provider value={{ user, setUser, reason, endSession }}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  return useContext(AuthContext);
}

/** Route guard: asks `GET /api/auth/me/` once; a 401 sends the visitor to the sign-in page. */
export function RequireAuth({ children }) {
  const { user, setUser, reason, endSession } = useAuth();
  const location = useLocation();
  const [error, setError] = useState(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (user !== undefined) return undefined;
    let active = true;
    setError(null);
    getCurrentUser().then(
      (me) => active && setUser(me),
      (err) => {
        if (!active) return;
        if (err.status === 401 || err.status === 403) endSession(SignInReason.required);
        else setError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [user, setUser, endSession, attempt]);

  if (user === null) {
    // After an explicit sign-out there is nowhere to come back to: the next sign-in starts afresh.
    const next = reason === SignInReason.signedOut ? null : location.pathname + location.search;
    return <Navigate to={loginPath(next)} state={{ reason }} replace />;
  }
  if (error) {
    return (
      <main className="auth-main">
        <LoadError title="We could not reach Trackify" error={error} onRetry={() => setAttempt((n) => n + 1)} />
      </main>
    );
  }
  if (user === undefined) return <Loading />;
  return children;
}
