/**
 * Reminder offsets: whole days relative to an invoice's due date (-3 is three days before, 0 the
 * due date, 7 a week after). The API keeps them as a sorted list of integers; people type them as
 * "-3, 0, +7".
 */

const WHOLE_DAYS = /^[+-]?\d{1,3}$/;

/** "-3, 0, +7" -> {offsets: [-3, 0, 7]}; {error} when a part is not a whole number of days. */
export function parseOffsets(text) {
  const parts = String(text || '')
    .split(/[\s,;]+/)
    .filter(Boolean);
  const bad = parts.find((part) => !WHOLE_DAYS.test(part));
  if (bad) return { error: `“${bad}” is not a whole number of days. Write days separated by commas, e.g. -3, 0, 7.` };
  return { offsets: [...new Set(parts.map(Number))].sort((a, b) => a - b) };
}

/** [-3, 0, 7] -> "-3, 0, +7", the way the field shows them. */
export function offsetsText(offsets) {
  return (offsets || []).map((day) => (day > 0 ? `+${day}` : String(day))).join(', ');
}

/** -3 -> "3 days before the due date"; 0 -> "on the due date"; 1 -> "1 day after the due date". */
export function describeOffset(day) {
  if (day === 0) return 'on the due date';
  const n = Math.abs(day);
  return `${n} ${n === 1 ? 'day' : 'days'} ${day < 0 ? 'before' : 'after'} the due date`;
}

/** The API's messages for the offsets field: a list, or per-position messages for bad items. */
export function offsetsError(error) {
  const value = error?.details?.offsets ?? error?.details?.reminder_offsets;
  if (!value) return '';
  if (typeof value === 'string') return value;
  const flat = Array.isArray(value) ? value.flat(2) : Object.values(value).flat(2);
  return flat.filter((message) => typeof message === 'string').join(' ');
}
