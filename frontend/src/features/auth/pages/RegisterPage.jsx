import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import Field from '../../../components/ui/Field.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import { useAuth } from '../components/auth.jsx';
import { fieldError } from '../../../lib/apiClient.js';
import useSubmit from '../../../lib/useSubmit.js';
import useTitle from '../../../lib/useTitle.js';
import { getCurrentUser, register } from '../api/authService.js';
import { paths } from '../../../routes.js';

export default function RegisterPage() {
  useTitle('Create an account');
  const { setUser } = useAuth();
  const navigate = useNavigate();
  const [form, setForm] = useState({ username: '', email: '', password: '' });
  // Stays busy after creating the account: the page is left for the payment settings.
  const { run, busy, error } = useSubmit({ keepBusy: true });

  // Gives the page Django's CSRF cookie when it was opened directly (e.g. on the dev server).
  useEffect(() => {
    getCurrentUser().catch(() => {});
  }, []);

  function onSubmit(event) {
    event.preventDefault();
    run(async () => {
      const created = await register(form);
      setUser(await getCurrentUser().catch(() => created));
      navigate(paths.paymentSettings, { replace: true });
    });
  }

  const set = (name) => (e) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const hasFieldErrors = error && ['username', 'email', 'password'].some((f) => fieldError(error, f));
  return (
    <main className="auth-main" id="main">
      <div className="card auth-card">
        <p className="brand">Trackify</p>
        <h1 className="page-title">Create an account</h1>
        {error && !hasFieldErrors && <Alert kind="error">{error.message}</Alert>}
        <form onSubmit={onSubmit}>
          <Field label="Username" error={fieldError(error, 'username')}>
            {(p) => <input {...p} name="username" autoComplete="username" required value={form.username} onChange={set('username')} />}
          </Field>
          <Field label="Email (optional)" error={fieldError(error, 'email')}>
            {(p) => <input {...p} name="email" type="email" autoComplete="email" value={form.email} onChange={set('email')} />}
          </Field>
          <Field label="Password" error={fieldError(error, 'password')}>
            {(p) => (
              <input {...p} name="password" type="password" autoComplete="new-password" required value={form.password} onChange={set('password')} />
            )}
          </Field>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Creating account…' : 'Create account'}
          </button>
        </form>
        <p className="muted center">
          Already have an account? <Link to={paths.login}>Sign in</Link>
        </p>
      </div>
    </main>
  );
}
