/**
 * Money without floats. Amounts travel as decimal strings ("1250.00"); arithmetic is done on
 * BigInt minor units, and formatting hands Intl the string itself (Intl.NumberFormat formats
 * decimal strings exactly).
 *
 * A currency's number of decimal places comes from the API (`currency_exponent` on invoices and
 * payments): pass it as `exponent`. Without it (a new invoice not saved yet) the browser's own
 * ISO 4217 data decides; the app keeps no table of its own.
 */

/** The currencies the invoice form offers first; the API accepts any ISO 4217 code it knows. */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'JPY', 'KRW', 'KWD', 'BHD', 'INR', 'BRL', 'MXN', 'NZD', 'SGD', 'ZAR'];

/** Decimal places: the API's `exponent` when given, else what Intl knows of the currency (2 if nothing). */
export function currencyExponent(currency, exponent) {
  if (Number.isInteger(exponent) && exponent >= 0) return exponent;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: String(currency || '').toUpperCase() }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return 2;
  }
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** Parses "12.5" into {units: 125n, scale: 1}; null when it is not a plain decimal number. */
export function parseDecimal(value) {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  const match = DECIMAL_RE.exec(text);
  if (!match || (!match[2] && !match[3])) return null;
  const [, sign, int = '', frac = ''] = match;
  const units = BigInt((int || '0') + frac);
  return { units: sign === '-' ? -units : units, scale: frac.length };
}

export function isDecimal(value) {
  return parseDecimal(value) !== null;
}

/** Number of digits after the decimal point, as typed. */
export function decimalPlaces(value) {
  const parsed = parseDecimal(value);
  return parsed ? parsed.scale : 0;
}

function rescale(units, from, to) {
  if (to >= from) return units * 10n ** BigInt(to - from);
  // Half away from zero, like Decimal's ROUND_HALF_UP.
  const divisor = 10n ** BigInt(from - to);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  let q = abs / divisor;
  if ((abs % divisor) * 2n >= divisor) q += 1n;
  return negative ? -q : q;
}

/** "12.345" in USD -> 1235n (cents), rounded half up. null when not a number. */
export function toMinorUnits(value, currency, exponent) {
  const parsed = parseDecimal(value);
  if (!parsed) return null;
  return rescale(parsed.units, parsed.scale, currencyExponent(currency, exponent));
}

export function fromMinorUnits(units, currency, exponent) {
  const exp = currencyExponent(currency, exponent);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(exp + 1, '0');
  const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return negative ? `-${text}` : text;
}

/** quantity × unit price, rounded to the currency; null when either is not a number. */
export function lineAmount(quantity, unitPrice, currency, exponent) {
  const q = parseDecimal(quantity);
  const p = parseDecimal(unitPrice);
  if (!q || !p) return null;
  const exp = currencyExponent(currency, exponent);
  return fromMinorUnits(rescale(q.units * p.units, q.scale + p.scale, exp), currency, exp);
}

/** Sum of line amounts as a decimal string; rows that are not filled in count as zero. */
export function sumLines(items, currency, exponent) {
  const exp = currencyExponent(currency, exponent);
  let total = 0n;
  for (const item of items) {
    const amount = lineAmount(item.quantity, item.unit_price, currency, exp);
    if (amount !== null) total += toMinorUnits(amount, currency, exp);
  }
  return fromMinorUnits(total, currency, exp);
}

/** -1, 0 or 1, comparing two decimal strings exactly. */
export function compareDecimal(a, b) {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) throw new Error(`Not a decimal: ${!x ? a : b}`);
  const scale = Math.max(x.scale, y.scale);
  const xa = x.units * 10n ** BigInt(scale - x.scale);
  const ya = y.units * 10n ** BigInt(scale - y.scale);
  return xa === ya ? 0 : xa < ya ? -1 : 1;
}

export function subtractDecimal(a, b, currency, exponent) {
  const exp = currencyExponent(currency, exponent);
  return fromMinorUnits(toMinorUnits(a, currency, exp) - toMinorUnits(b, currency, exp), currency, exp);
}

export function isPositive(value) {
  return isDecimal(value) && compareDecimal(value, '0') > 0;
}

/** "1250.5", "USD" -> "$1,250.50"; falls back to "1250.5 USD" if Intl does not know the code. */
export function formatMoney(amount, currency, exponent) {
  if (amount === null || amount === undefined || amount === '') return '—';
  const code = String(currency || '').toUpperCase();
  const exp = currencyExponent(code, exponent);
  const normalized = isDecimal(amount) ? fromMinorUnits(toMinorUnits(amount, code, exp), code, exp) : String(amount);
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    }).format(normalized);
  } catch {
    return `${normalized} ${code}`.trim();
  }
}
