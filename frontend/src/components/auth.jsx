import { createContext, useContext, useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { getCurrentUser } from '../services/authService.js';
import { setUnauthorizedHandler } from '../lib/apiClient.js';
import { loginPath } from '../routes.js';
import Loading from './Loading.jsx';
import Alert from './Alert.jsx';

const AuthContext = createContext(null);

/** Holds the signed-in user: undefined while unknown, null when signed out. */
export function AuthProvider({ children, initialUser }) {
  const [user, setUser] = useState(initialUser);
  useEffect(() => setUnauthorizedHandler(() => setUser(null)), []);
  return <AuthContext.Provider value={{ user, setUser }}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  return useContext(AuthContext);
}

/** Route guard: asks `GET /api/auth/me/` once; a 401 sends the visitor to the sign-in page. */
export function RequireAuth({ children }) {
  const { user, setUser } = useAuth();
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
        if (err.status === 401 || err.status === 403) setUser(null);
        else setError(err);
      },
    );
    return () => {
      active = false;
    };
  }, [user, setUser, attempt]);

  if (user === null) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  if (error) {
    return (
      <main className="auth-main">
        <Alert
          kind="error"
          title="We could not reach Trackify"
          action={
            <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          }
        >
          {error.message}
        </Alert>
      </main>
    );
  }
  if (user === undefined) return <Loading />;
  return children;
}
