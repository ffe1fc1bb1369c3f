import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import Alert from '../components/Alert.jsx';
import Field from '../components/Field.jsx';
import Loading from '../components/Loading.jsx';
import { fieldError, messagesOf } from '../lib/apiClient.js';
import { CURRENCIES, formatMoney, lineAmount, sumLines } from '../lib/money.js';
import { addDaysIso, todayIso } from '../lib/dates.js';
import useTitle from '../lib/useTitle.js';
import { createInvoice, getInvoice, updateInvoice } from '../services/invoiceService.js';
import { invoiceDetailPath, paths } from '../routes.js';

let rowCounter = 0;
const newRow = (item = {}) => ({
  key: `row-${++rowCounter}`,
  description: item.description ?? '',
  quantity: item.quantity ?? '1',
  unit_price: item.unit_price ?? '',
});

function emptyForm() {
  const today = todayIso();
  return {
    client_name: '',
    client_email: '',
    currency: 'USD',
    issue_date: today,
    due_date: addDaysIso(today, 14),
    allow_partial_payments: false,
    notes: '',
    items: [newRow()],
  };
}

function formFromInvoice(invoice) {
  return {
    client_name: invoice.client_name || '',
    client_email: invoice.client_email || '',
    currency: invoice.currency || 'USD',
    issue_date: invoice.issue_date || '',
    due_date: invoice.due_date || '',
    allow_partial_payments: Boolean(invoice.allow_partial_payments),
    notes: invoice.notes || '',
    items: invoice.items?.length ? invoice.items.map(newRow) : [newRow()],
  };
}

/**
 * Errors for line item `index`. The API answers per row, keyed by index ({"1": {quantity: [...]}})
 * or as a list of rows, or with messages about the whole list.
 */
function itemError(error, index, field) {
  const items = error?.details?.items;
  if (!items || typeof items !== 'object') return '';
  const row = items[index] ?? items[String(index)];
  return row && typeof row === 'object' && !Array.isArray(row) ? messagesOf(row[field]).join(' ') : '';
}

function itemsListError(error) {
  const items = error?.details?.items;
  if (typeof items === 'string') return items;
  if (Array.isArray(items)) return items.filter((m) => typeof m === 'string').join(' ');
  if (items && typeof items === 'object') return messagesOf(items.non_field_errors).join(' ');
  return '';
}

export default function InvoiceFormPage() {
  const { id } = useParams();
  const editing = Boolean(id);
  useTitle(editing ? 'Edit invoice' : 'New invoice');
  const navigate = useNavigate();
  const [form, setForm] = useState(editing ? null : emptyForm);
  const [invoice, setInvoice] = useState(null);
  const [loadError, setLoadError] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [focusRow, setFocusRow] = useState(null);
  const formRef = useRef(null);

  useEffect(() => {
    if (!focusRow || !formRef.current) return;
    const input = formRef.current.querySelector(`[data-row-description="${focusRow}"]`);
    if (input) input.focus();
  }, [focusRow]);

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

  const isDraft = !editing || invoice?.status === 'draft';
  const total = sumLines(form.items, form.currency);
  const set = (name) => (e) => {
    const value = e.target.type === 'checkbox' ? e.target.checked : e.target.value;
    setForm((f) => ({ ...f, [name]: value }));
  };
  const setItem = (key, name) => (e) =>
    setForm((f) => ({ ...f, items: f.items.map((row) => (row.key === key ? { ...row, [name]: e.target.value } : row)) }));
  const addRow = () => {
    const row = newRow();
    setForm((f) => ({ ...f, items: [...f.items, row] }));
    setFocusRow(row.key);
  };
  const removeRow = (key) => setForm((f) => ({ ...f, items: f.items.filter((row) => row.key !== key) }));

  async function onSubmit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const payload = {
      client_name: form.client_name.trim(),
      client_email: form.client_email.trim(),
      due_date: form.due_date || null,
      allow_partial_payments: form.allow_partial_payments,
      notes: form.notes,
    };
    if (form.issue_date) payload.issue_date = form.issue_date;
    if (isDraft) {
      payload.currency = form.currency;
      payload.items = form.items.map(({ description, quantity, unit_price }) => ({
        description: description.trim(),
        quantity: String(quantity).trim(),
        unit_price: String(unit_price).trim(),
      }));
    }
    try {
      const saved = editing ? await updateInvoice(id, payload) : await createInvoice(payload);
      navigate(invoiceDetailPath(saved.id || id));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
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
      <form ref={formRef} className="card form" onSubmit={onSubmit} noValidate>
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

        <fieldset>
          <legend className="section-title">Line items</legend>
          {itemsListError(error) && <p className="field-error">{itemsListError(error)}</p>}
          <ol className="item-rows">
            {form.items.map((row, index) => {
              const amount = lineAmount(row.quantity, row.unit_price, form.currency);
              const n = index + 1;
              return (
                <li key={row.key} className="item-row">
                  <Field label={`Description (item ${n})`} error={itemError(error, index, 'description')} className="item-description">
                    {(p) => (
                      <input
                        {...p}
                        data-row-description={row.key}
                        value={row.description}
                        onChange={setItem(row.key, 'description')}
                        disabled={!isDraft}
                      />
                    )}
                  </Field>
                  <Field label={`Quantity (item ${n})`} error={itemError(error, index, 'quantity')} className="item-qty">
                    {(p) => <input {...p} inputMode="decimal" value={row.quantity} onChange={setItem(row.key, 'quantity')} disabled={!isDraft} />}
                  </Field>
                  <Field label={`Unit price (item ${n})`} error={itemError(error, index, 'unit_price')} className="item-price">
                    {(p) => <input {...p} inputMode="decimal" value={row.unit_price} onChange={setItem(row.key, 'unit_price')} disabled={!isDraft} />}
                  </Field>
                  <div className="item-amount">
                    <span className="muted small">Amount</span>
                    <span>{amount === null ? '—' : formatMoney(amount, form.currency)}</span>
                  </div>
                  {isDraft && (
                    <button
                      type="button"
                      className="btn btn-ghost item-remove"
                      onClick={() => removeRow(row.key)}
                      disabled={form.items.length === 1}
                      aria-label={`Remove item ${n}`}
                    >
                      Remove
                    </button>
                  )}
                </li>
              );
            })}
          </ol>
          {isDraft && (
            <button type="button" className="btn" onClick={addRow}>
              Add item
            </button>
          )}
        </fieldset>

        <p className="form-total">
          <span>Total</span> <strong data-testid="running-total">{formatMoney(total, form.currency)}</strong>
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
