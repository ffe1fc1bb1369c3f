import { useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import useTitle from '../../../lib/useTitle.js';
import LogoField from '../components/LogoField.jsx';
import NotificationSettings from '../components/NotificationSettings.jsx';
import { getProfile, updateProfile } from '../api/profileService.js';
import '../components/settings.css';

const FIELDS = ['business_name', 'contact_email', 'address', 'tax_id', 'accent_color', 'time_zone'];

/** The time zones the browser knows, with UTC and the saved one always offered. */
export function timeZones(current) {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...known].filter(Boolean))].sort();
}

function ProfileForm({ profile, onSaved }) {
  const [values, setValues] = useState(() => Object.fromEntries(FIELDS.map((f) => [f, profile[f] ?? ''])));
  const { run, busy, error } = useSubmit();
  const fieldError = (name) => error?.details?.[name]?.join(' ');
  const set = (name) => (event) => setValues((v) => ({ ...v, [name]: event.target.value }));

  async function submit(event) {
    event.preventDefault();
    const saved = await run(() => updateProfile(values));
    if (saved) onSaved(saved, 'Business profile saved.');
  }

  return (
    <form className="card profile-form" onSubmit={submit} noValidate>
      {error && !error.details?.business_name && <Alert kind="error">{error.message}</Alert>}
      <Field label="Business name" error={fieldError('business_name')} help="Shown to clients on the payment page, emails and PDFs.">
        {(p) => <input {...p} value={values.business_name} onChange={set('business_name')} maxLength={200} />}
      </Field>
      <Field label="Contact email" error={fieldError('contact_email')} help="Clients may write to it; your sign-in email is never shown.">
        {(p) => <input {...p} type="email" value={values.contact_email} onChange={set('contact_email')} />}
      </Field>
      <Field label="Address" error={fieldError('address')}>
        {(p) => <textarea {...p} rows={3} value={values.address} onChange={set('address')} />}
      </Field>
      <Field label="Tax ID (optional)" error={fieldError('tax_id')}>
        {(p) => <input {...p} value={values.tax_id} onChange={set('tax_id')} maxLength={64} />}
      </Field>
      <Field label="Accent colour" error={fieldError('accent_color')}>
        {(p) => <input {...p} type="color" value={values.accent_color || '#2563eb'} onChange={set('accent_color')} />}
      </Field>
      <Field label="Time zone" error={fieldError('time_zone')} help="Reminders, recurring invoices and reports count days in it.">
        {(p) => (
          <select {...p} value={values.time_zone} onChange={set('time_zone')}>
            {timeZones(values.time_zone).map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save profile'}
      </button>
    </form>
  );
}

export default function BusinessProfilePage() {
  useTitle('Business profile');
  const { loading, data, error, reload, setData } = useLoad(getProfile, []);
  const [notice, setNotice] = useState(null);

  if (loading && !data) return <Loading label="Loading your business profile…" />;
  if (error && !data) return <LoadError title="Could not load your business profile" error={error} onRetry={reload} />;

  function saved(profile, message) {
    setData(profile);
    setNotice(message);
  }

  return (
    <>
      <div className="page-head">
        <div>
          <h1 className="page-title">Business profile</h1>
          <p className="muted">How your clients see you: on the payment page, in emails and on PDFs.</p>
        </div>
      </div>
      {notice && <Alert kind="success">{notice}</Alert>}
      <div className="detail-grid">
        <ProfileForm profile={data} onSaved={saved} />
        <LogoField logoUrl={data.logo_url} onSaved={saved} />
      </div>
      <NotificationSettings />
    </>
  );
}
