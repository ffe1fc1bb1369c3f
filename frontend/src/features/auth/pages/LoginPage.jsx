import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import Field from '../../../components/ui/Field.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import { SignInReason, useAuth } from '../components/auth.jsx';
import { fieldError } from '../../../lib/apiClient.js';
import useSubmit from '../../../lib/useSubmit.js';
import useTitle from '../../../lib/useTitle.js';
import { getCurrentUser, login } from '../api/authService.js';
import { paths, safeNext } from '../../../routes.js';

const NOTICES = {
  [SignInReason.signedOut]: 'You have signed out.',
  [SignInReason.expired]: 'Your session has ended. Please sign in again to continue.',
  [SignInReason.required]: 'Please sign in to continue.',
};

/**
 * Why the visitor is here, in words: the app says so when it sends them (router state); a
 * `next` path alone (a reload, a shared link) still means a page asked them to sign in.
 */
export function signInNotice(state, next) {
  const reason = state && typeof state === 'object' ? state.reason : undefined;
  if (reason && NOTICES[reason]) return NOTICES[reason];
  return next ? NOTICES[SignInReason.required] : '';
}

export default function LoginPage() {
  useTitle('Sign in');
  const { setUser } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const notice = signInNotice(location.state, searchParams.get('next'));
  const [form, setForm] = useState({ username: '', password: '' });
  // Stays busy after signing in: the page is left for the next one.
  const { run, busy, error } = useSubmit({ keepBusy: true });

  // Also gives the page Django's CSRF cookie when it was opened directly (e.g. on the dev server).
  useEffect(() => {
    let active = true;
    getCurrentUser().then(
      (me) => {
        if (!active) return;
        setUser(me);
        navigate(safeNext(searchParams.get('next')), { replace: true });
      },
      () => {},
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on opening the page: a later `next` or user is not a reason to ask again
  }, []);

  function onSubmit(event) {
    event.preventDefault();
    run(async () => {
      await login(form);
      setUser(await getCurrentUser().catch(() => ({ username: form.username })));
      navigate(safeNext(searchParams.get('next')), { replace: true });
    });
  }

  const set = (name) => (e) => setForm((f) => ({ ...f, [name]: e.target.value }));
  return (
    <main className="auth-main" id="main">
      <div className="card auth-card">
        <p className="brand">Trackify</p>
        <h1 className="page-title">Sign in</h1>
        {notice && !error && <Alert kind={location.state?.reason === SignInReason.signedOut ? 'success' : 'info'}>{notice}</Alert>}
        {error && <Alert kind="error">{error.message}</Alert>}
        <form onSubmit={onSubmit}>
          <Field label="Username" error={fieldError(error, 'username')}>
            {(p) => <input {...p} name="username" autoComplete="username" required value={form.username} onChange={set('username')} />}
          </Field>
          <Field label="Password" error={fieldError(error, 'password')}>
            {(p) => (
              <input {...p} name="password" type="password" autoComplete="current-password" required value={form.password} onChange={set('password')} />
            )}
          </Field>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="muted center">
          New to Trackify? <Link to={paths.register}>Create an account</Link>
        </p>
      </div>
    </main>
  );
}
