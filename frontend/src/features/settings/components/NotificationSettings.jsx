import { useState } from 'react';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import { describeOffset, offsetsError, offsetsText, parseOffsets } from '../../invoices/index.js';
import { getNotificationSettings, updateNotificationSettings } from '../api/notificationSettingsService.js';

// The switches the API offers, in the order an owner thinks of them.
const SWITCHES = [
  ['notify_payment_succeeded', 'Email me when a client pays'],
  ['notify_payment_failed', 'Email me when a payment fails'],
  ['notify_refund', 'Email me when a refund is made'],
  ['notify_dispute', 'Email me when a client disputes a payment'],
  ['send_receipts', 'Send clients a receipt for each payment and a notice for each refund'],
  ['reminders_enabled', 'Remind clients of unpaid invoices'],
];

function Switch({ name, label, checked, disabled, onToggle }) {
  const id = `notify-${name}`;
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onToggle(name, e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

function DefaultReminders({ settings, save, busy, error }) {
  const [text, setText] = useState(offsetsText(settings.reminder_offsets));
  const [typing, setTyping] = useState('');

  function submit(event) {
    event.preventDefault();
    const parsed = parseOffsets(text);
    setTyping(parsed.error || '');
    if (!parsed.error) save({ reminder_offsets: parsed.offsets }, 'Default reminder schedule saved.', 'offsets');
  }

  const days = settings.reminder_offsets.map(describeOffset).join('; ');
  return (
    <form className="notification-offsets" onSubmit={submit} noValidate>
      <Field
        label="Default reminder days"
        error={typing || offsetsError(error)}
        help={`Days from the due date: -3 is three days before, 0 the due date, +7 a week after. Now: ${days || 'none'}.`}
      >
        {(p) => <input {...p} inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} placeholder="-3, 0, +7" />}
      </Field>
      <button type="submit" className="btn btn-small" disabled={Boolean(busy)}>
        {busy === 'offsets' ? 'Saving…' : 'Save reminder days'}
      </button>
    </form>
  );
}

/** The owner's notices and the clients' emails, each a switch saved at once, and the default reminder days. */
export default function NotificationSettings() {
  const { loading, data, error, reload, setData } = useLoad(getNotificationSettings, []);
  const [notice, setNotice] = useState(null);
  const { run, busy, error: saveError } = useSubmit();

  async function save(changes, message, label = true) {
    setNotice(null);
    const saved = await run(() => updateNotificationSettings(changes), label);
    if (saved) {
      setData(saved);
      setNotice(message);
    }
  }

  const toggle = (name, on) => save({ [name]: on }, `Saved: “${SWITCHES.find(([n]) => n === name)[1]}” is now ${on ? 'on' : 'off'}.`);

  return (
    <section className="card notification-settings" aria-labelledby="notifications-title">
      <h2 id="notifications-title" className="section-title">
        Notifications
      </h2>
      {loading && !data && <Loading label="Loading your notification settings…" />}
      {error && !data && <LoadError title="Could not load your notification settings" error={error} onRetry={reload} />}
      {data && (
        <>
          {notice && <Alert kind="success">{notice}</Alert>}
          {saveError && !offsetsError(saveError) && <Alert kind="error" title="Not saved">{saveError.message}</Alert>}
          <fieldset className="notification-switches">
            <legend className="visually-hidden">Emails</legend>
            {SWITCHES.map(([name, label]) => (
              <Switch key={name} name={name} label={label} checked={Boolean(data[name])} disabled={Boolean(busy)} onToggle={toggle} />
            ))}
          </fieldset>
          <DefaultReminders key={offsetsText(data.reminder_offsets)} settings={data} save={save} busy={busy} error={saveError} />
        </>
      )}
    </section>
  );
}
