/** The invoice form's state: rows, defaults, the API's answers per row, and the body it sends. */
import { messagesOf } from '../../../lib/apiClient.js';
import { addDaysIso, todayIso } from '../../../lib/dates.js';

let rowCounter = 0;
export const newRow = (item = {}) => ({
  key: `row-${++rowCounter}`,
  description: item.description ?? '',
  quantity: item.quantity ?? '1',
  unit_price: item.unit_price ?? '',
});

export function emptyForm() {
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

export function formFromInvoice(invoice) {
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
export function itemError(error, index, field) {
  const items = error?.details?.items;
  if (!items || typeof items !== 'object') return '';
  const row = items[index] ?? items[String(index)];
  return row && typeof row === 'object' && !Array.isArray(row) ? messagesOf(row[field]).join(' ') : '';
}

export function itemsListError(error) {
  const items = error?.details?.items;
  if (typeof items === 'string') return items;
  if (Array.isArray(items)) return items.filter((m) => typeof m === 'string').join(' ');
  if (items && typeof items === 'object') return messagesOf(items.non_field_errors).join(' ');
  return '';
}

/** The body of a create or update: items and currency only while they may change. */
export function payloadOf(form, itemsEditable) {
  const payload = {
    client_name: form.client_name.trim(),
    client_email: form.client_email.trim(),
    due_date: form.due_date || null,
    allow_partial_payments: form.allow_partial_payments,
    notes: form.notes,
  };
  if (form.issue_date) payload.issue_date = form.issue_date;
  if (itemsEditable) {
    payload.currency = form.currency;
    payload.items = form.items.map(({ description, quantity, unit_price }) => ({
      description: description.trim(),
      quantity: String(quantity).trim(),
      unit_price: String(unit_price).trim(),
    }));
  }
  return payload;
}
