/** The form's values <-> the API's template, and the words for a schedule. */
import { todayIso } from '../../../lib/dates.js';

export const INTERVALS = [
  { value: 'week', label: 'Week(s)' },
  { value: 'month', label: 'Month(s)' },
  { value: 'quarter', label: 'Quarter(s)' },
  { value: 'year', label: 'Year(s)' },
];

export function emptyValues() {
  return {
    client_name: '',
    client_email: '',
    currency: 'USD',
    description: '',
    quantity: '1',
    unit_price: '',
    interval: 'month',
    interval_count: '1',
    start_date: todayIso(),
    end_date: '',
    count: '',
    days_until_due: '14',
    allow_partial_payments: false,
  };
}

export function valuesOf(template) {
  const [item] = template.items || [];
  return {
    ...emptyValues(),
    ...template,
    description: item?.description || '',
    quantity: item?.quantity || '1',
    unit_price: item?.unit_price || '',
    interval_count: String(template.interval_count),
    end_date: template.end_date || '',
    count: template.count ? String(template.count) : '',
    days_until_due: String(template.days_until_due),
  };
}

export function bodyOf(values) {
  return {
    client_name: values.client_name,
    client_email: values.client_email,
    currency: values.currency,
    items: [{ description: values.description, quantity: values.quantity, unit_price: values.unit_price }],
    interval: values.interval,
    interval_count: Number(values.interval_count) || 1,
    start_date: values.start_date,
    end_date: values.end_date || null,
    count: values.count ? Number(values.count) : null,
    days_until_due: Number(values.days_until_due) || 0,
    allow_partial_payments: values.allow_partial_payments,
  };
}

export function scheduleLabel(template) {
  const unit = INTERVALS.find((i) => i.value === template.interval)?.value || template.interval;
  const every = template.interval_count > 1 ? `Every ${template.interval_count} ${unit}s` : `Every ${unit}`;
  const limits = [];
  if (template.count) limits.push(`${template.count} invoices`);
  if (template.end_date) limits.push(`until ${template.end_date}`);
  return limits.length ? `${every}, ${limits.join(', ')}` : every;
}
