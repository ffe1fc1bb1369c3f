import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import Alert from '../../../components/ui/Alert.jsx';
import Field from '../../../components/ui/Field.jsx';
import Loading from '../../../components/ui/Loading.jsx';
import { fieldError, messagesOf } from '../../../lib/apiClient.js';
import { CURRENCIES, formatMoney, sumLines } from '../../../lib/money.js';
import useSubmit from '../../../lib/useSubmit.js';
import useTitle from '../../../lib/useTitle.js';
import ItemRows from '../components/ItemRows.jsx';
import { emptyForm, formFromInvoice, payloadOf } from '../components/invoiceForm.js';
import { createInvoice, getInvoice, updateInvoice } from '../api/invoiceService.js';
import { invoiceDetailPath, paths } from '../../../routes.js';

export default function InvoiceFormPage() {
  const { id } = useParams();
  const editing = Boolean(id);
  useTitle(editing ? 'Edit invoice' : 'New invoice');
  const navigate = useNavigate();
  const [form, setForm] = useState(editing ? null : emptyForm);
  const [invoice, setInvoice] = useState(null);
  const [loadError, setLoadError] = useState(null);
  // Stays busy once saved: the page is left for the invoice.
  const { run, busy, error } = useSubmit({ keepBusy: true });

  useEffect(() => {
    if (!editing) return undefined;
    let active = true;
    getInvoice(id).then(
      (data) => {
        if (!active) return;
        setInvoice(data);
        setForm(formFromInvoice(data));
      },
      (err) => active && setLoadError(err),
    );
    return () => {
      active = false;
    };
  }, [editing, id]);

  if (loadError) {
    return (
      <Alert kind="error" title="Could not load the invoice" action={<Link to={paths.invoices}>Back to invoices</Link>}>
        {loadError.message}
      </Alert>
    );
  }
  if (!form) return <Loading label="Loading invoice…" />;

  const isDraft = !editing || Boolean(invoice?.can_edit_items);
  // The API's precision for a saved invoice's currency; a new one's comes from the browser's ISO data.
  const exponent = invoice && form.currency === invoice.currency ? invoice.currency_exponent : undefined;
  const total = sumLines(form.items, form.currency, exponent);
  const set = (name) => (e) => {
    const value = e.target.type === 'checkbox' ? e.target.checked : e.target.value;
    setForm((f) => ({ ...f, [name]: value }));
  };
  async function onSubmit(event) {
    event.preventDefault();
    const payload = payloadOf(form, isDraft);
    const saved = await run(() => (editing ? updateInvoice(id, payload) : createInvoice(payload)));
    if (saved) navigate(invoiceDetailPath(saved.id));
  }

  const currencies = CURRENCIES.includes(form.currency) ? CURRENCIES : [form.currency, ...CURRENCIES];
  const generalError = error && Object.keys(error.details || {}).length === 0 ? error.message : error ? 'Please correct the fields marked below.' : '';
  const nonField = messagesOf(error?.details?.non_field_errors).join(' ');

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">{editing ? `Edit invoice ${invoice?.number || ''}` : 'New invoice'}</h1>
      </div>
      {!isDraft && (
        <Alert kind="info">
          This invoice has been sent, so its items and currency are fixed. You can still change the client, dates and
          partial payments.
        </Alert>
      )}
      {error && (
        <Alert kind="error">
          {generalError} {nonField}
        </Alert>
      )}
      <form className="card form" onSubmit={onSubmit} noValidate>
        <fieldset className="grid-2">
          <legend className="section-title">Client</legend>
          <Field label="Client name" error={fieldError(error, 'client_name')}>
            {(p) => <input {...p} name="client_name" required value={form.client_name} onChange={set('client_name')} />}
          </Field>
          <Field label="Client email" error={fieldError(error, 'client_email')}>
            {(p) => <input {...p} name="client_email" type="email" value={form.client_email} onChange={set('client_email')} />}
          </Field>
        </fieldset>
        <fieldset className="grid-3">
          <legend className="section-title">Terms</legend>
          <Field label="Currency" error={fieldError(error, 'currency')}>
            {(p) => (
              <select {...p} name="currency" value={form.currency} onChange={set('currency')} disabled={!isDraft}>
                {currencies.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Issue date" error={fieldError(error, 'issue_date')}>
            {(p) => <input {...p} name="issue_date" type="date" value={form.issue_date} onChange={set('issue_date')} />}
          </Field>
          <Field label="Due date" error={fieldError(error, 'due_date')}>
            {(p) => <input {...p} name="due_date" type="date" value={form.due_date} onChange={set('due_date')} />}
          </Field>
        </fieldset>
        <div className="field field-check">
          <input
            id="allow_partial_payments"
            type="checkbox"
            name="allow_partial_payments"
            checked={form.allow_partial_payments}
            onChange={set('allow_partial_payments')}
          />
          <label htmlFor="allow_partial_payments">Allow partial payments (the client chooses how much to pay)</label>
          {fieldError(error, 'allow_partial_payments') && <p className="field-error">{fieldError(error, 'allow_partial_payments')}</p>}
        </div>

        <Field label="Notes for the client (optional)" error={fieldError(error, 'notes')}>
          {(p) => <textarea {...p} name="notes" rows={2} maxLength={5000} value={form.notes} onChange={set('notes')} />}
        </Field>

        <ItemRows form={form} setForm={setForm} error={error} editable={isDraft} exponent={exponent} />

        <p className="form-total">
          <span>Total</span> <strong data-testid="running-total">{formatMoney(total, form.currency, exponent)}</strong>
        </p>
        <div className="form-actions">
          <Link className="btn btn-ghost" to={editing ? invoiceDetailPath(id) : paths.invoices}>
            Cancel
          </Link>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save changes' : 'Save draft'}
          </button>
        </div>
      </form>
    </>
  );
}
