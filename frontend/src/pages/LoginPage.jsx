import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import Field from '../components/Field.jsx';
import Alert from '../components/Alert.jsx';
import { useAuth } from '../components/auth.jsx';
import { fieldError } from '../lib/apiClient.js';
import useTitle from '../lib/useTitle.js';
import { getCurrentUser, login } from '../services/authService.js';
import { paths, safeNext } from '../routes.js';

export default function LoginPage() {
  useTitle('Sign in');
  const { setUser } = useAuth();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const [form, setForm] = useState({ username: '', password: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

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
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function onSubmit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(form);
      setUser(await getCurrentUser().catch(() => ({ username: form.username })));
      navigate(safeNext(searchParams.get('next')), { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const set = (name) => (e) => setForm((f) => ({ ...f, [name]: e.target.value }));
  return (
    <main className="auth-main" id="main">
      <div className="card auth-card">
        <p className="brand">Trackify</p>
        <h1 className="page-title">Sign in</h1>
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
