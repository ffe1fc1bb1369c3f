import { useState } from 'react';
import Field from '../../../components/ui/Field.jsx';
import Alert from '../../../components/ui/Alert.jsx';
import { CURRENCIES } from '../../../lib/money.js';
import useSubmit from '../../../lib/useSubmit.js';
import { INTERVALS, bodyOf, emptyValues, valuesOf } from './recurringForm.js';

function firstError(details, name) {
  const value = details?.[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function itemError(details, name) {
  const items = details?.items;
  const first = items && typeof items === 'object' ? Object.values(items)[0] : undefined;
  return Array.isArray(items) && typeof items[0] === 'string' ? items[0] : firstError(first, name);
}

/** Create or edit a recurring invoice (one line item; the schedule; the due days). */
export default function RecurringForm({ template, onSave, onCancel }) {
  const [values, setValues] = useState(() => (template ? valuesOf(template) : emptyValues()));
  const { busy, error, run } = useSubmit();
  const details = error?.details;
  const set = (name) => (event) =>
    setValues((v) => ({ ...v, [name]: event.target.type === 'checkbox' ? event.target.checked : event.target.value }));
  const input = (name, label, props = {}, errorOf = firstError) => (
    <Field label={label} error={errorOf(details, name)}>
      {(field) => <input {...field} className="input" value={values[name]} onChange={set(name)} {...props} />}
    </Field>
  );

  const submit = (event) => {
    event.preventDefault();
    run(() => onSave(bodyOf(values)));
  };

  return (
    <form className="card form" onSubmit={submit} aria-label={template ? 'Edit recurring invoice' : 'New recurring invoice'}>
      {error && <Alert kind="danger" title="Not saved">{error.message}</Alert>}
      {input('client_name', 'Client name', { required: true })}
      {input('client_email', 'Client email', { type: 'email' })}
      <Field label="Currency" error={firstError(details, 'currency')}>
        {(field) => (
          <select {...field} className="input" value={values.currency} onChange={set('currency')}>
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
      </Field>
      {input('description', 'Item', { required: true }, itemError)}
      {input('quantity', 'Quantity', { inputMode: 'decimal' }, itemError)}
      {input('unit_price', 'Unit price', { inputMode: 'decimal', required: true }, itemError)}
      {input('interval_count', 'Every', { type: 'number', min: 1 })}
      <Field label="Interval" error={firstError(details, 'interval')}>
        {(field) => (
          <select {...field} className="input" value={values.interval} onChange={set('interval')}>
            {INTERVALS.map((i) => (
              <option key={i.value} value={i.value}>
                {i.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {input('start_date', 'Start date', { type: 'date', required: true })}
      {input('end_date', 'End date (optional)', { type: 'date' })}
      {input('count', 'Number of invoices (optional)', { type: 'number', min: 1 })}
      {input('days_until_due', 'Days until due', { type: 'number', min: 0 })}
      <label className="checkbox">
        <input type="checkbox" checked={values.allow_partial_payments} onChange={set('allow_partial_payments')} /> Allow
        partial payments
      </label>
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={Boolean(busy)}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button className="btn" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
