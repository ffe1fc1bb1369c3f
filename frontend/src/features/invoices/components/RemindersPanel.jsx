import { useState } from 'react';
import './linkAndActivity.css';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import LoadError from '../../../components/ui/LoadError.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import useLoad from '../../../lib/useLoad.js';
import useSubmit from '../../../lib/useSubmit.js';
import { formatDate } from '../../../lib/dates.js';
import { getReminders, setReminders } from '../api/invoiceService.js';
import { describeOffset, offsetsError, offsetsText, parseOffsets } from './reminderOffsets.js';

function summary(state) {
  if (!state.enabled || state.offsets.length === 0) {
    return state.uses_default ? 'Reminders are off in your default schedule.' : 'Reminders are off for this invoice.';
  }
  const days = state.offsets.map(describeOffset).join('; ');
  return `${state.uses_default ? 'Your default schedule' : 'This invoice’s own schedule'}: ${days}.`;
}

function ScheduleForm({ invoiceId, state, onSaved }) {
  const [enabled, setEnabled] = useState(state.enabled);
  const [text, setText] = useState(offsetsText(state.offsets));
  const [typing, setTyping] = useState('');
  const { run, busy, error } = useSubmit();

  async function save(schedule, message) {
    const saved = await run(() => setReminders(invoiceId, schedule), schedule.use_default ? 'default' : 'save');
    if (!saved) return;
    setEnabled(saved.enabled);
    setText(offsetsText(saved.offsets));
    onSaved(saved, message);
  }

  function submit(event) {
    event.preventDefault();
    const parsed = parseOffsets(text);
    setTyping(parsed.error || '');
    if (!parsed.error) save({ enabled, offsets: parsed.offsets }, 'Reminder schedule saved for this invoice.');
  }

  const offsetsMessage = typing || offsetsError(error);
  return (
    <form className="reminder-form" onSubmit={submit} noValidate>
      {error && !offsetsMessage && <Alert kind="error">{error.message}</Alert>}
      <div className="field field-check">
        <input id={`reminders-on-${invoiceId}`} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        <label htmlFor={`reminders-on-${invoiceId}`}>Send reminders for this invoice</label>
      </div>
      <Field label="Reminder days" error={offsetsMessage} help="Days from the due date: -3 is three days before, 0 the due date, +7 a week after.">
        {(p) => <input {...p} inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} disabled={!enabled} placeholder="-3, 0, +7" />}
      </Field>
      <div className="reminder-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={Boolean(busy)}>
          {busy === 'save' ? 'Saving…' : 'Save schedule'}
        </button>
        {!state.uses_default && (
          <button type="button" className="btn btn-small" disabled={Boolean(busy)} onClick={() => save({ use_default: true }, 'This invoice follows your default schedule again.')}>
            {busy === 'default' ? 'Saving…' : 'Use my default'}
          </button>
        )}
      </div>
    </form>
  );
}

/** An invoice's reminder schedule (its own or the owner's default), what was sent, and a form to change it. */
export default function RemindersPanel({ invoice }) {
  const { loading, data, error, reload, setData } = useLoad(() => getReminders(invoice.id), [invoice.id]);
  const [notice, setNotice] = useState(null);

  function saved(state, message) {
    setData(state);
    setNotice(message);
  }

  return (
    <section className="card" aria-labelledby="reminders-title">
      <h2 id="reminders-title" className="section-title">
        Reminders
      </h2>
      {loading && !data && <Loading label="Loading reminders…" />}
      {error && !data && <LoadError title="Could not load the reminders" error={error} onRetry={reload} />}
      {data && (
        <>
          <p>{summary(data)}</p>
          {data.sent.length > 0 ? (
            <ul className="reminders-sent" aria-label="Reminders sent">
              {data.sent.map((sent) => (
                <li key={`${sent.offset_days}-${sent.claimed_at}`}>
                  Sent {describeOffset(sent.offset_days)} <span className="muted small">({formatDate(sent.claimed_at)})</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">No reminders sent yet. They stop as soon as the invoice is paid or void.</p>
          )}
          {notice && <Alert kind="success">{notice}</Alert>}
          <ScheduleForm key={JSON.stringify(data)} invoiceId={invoice.id} state={data} onSaved={saved} />
        </>
      )}
    </section>
  );
}
