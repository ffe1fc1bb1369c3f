/**
 * Money without floats. Amounts travel as decimal strings ("1250.00"); arithmetic is done on
 * BigInt minor units with the currency's exponent, and formatting hands Intl the string itself
 * (Intl.NumberFormat formats decimal strings exactly).
 */

const EXPONENTS = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'JPY', 'KRW', 'KWD', 'BHD', 'INR', 'BRL', 'MXN', 'NZD', 'SGD', 'ZAR'];

export function currencyExponent(currency) {
  const code = String(currency || '').toUpperCase();
  return Object.prototype.hasOwnProperty.call(EXPONENTS, code) ? EXPONENTS[code] : 2;
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
export function toMinorUnits(value, currency) {
  const parsed = parseDecimal(value);
  if (!parsed) return null;
  return rescale(parsed.units, parsed.scale, currencyExponent(currency));
}

export function fromMinorUnits(units, currency) {
  const exp = currencyExponent(currency);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(exp + 1, '0');
  const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return negative ? `-${text}` : text;
}

/** quantity × unit price, rounded to the currency; null when either is not a number. */
export function lineAmount(quantity, unitPrice, currency) {
  const q = parseDecimal(quantity);
  const p = parseDecimal(unitPrice);
  if (!q || !p) return null;
  const units = rescale(q.units * p.units, q.scale + p.scale, currencyExponent(currency));
  return fromMinorUnits(units, currency);
}

/** Sum of line amounts as a decimal string; rows that are not filled in count as zero. */
export function sumLines(items, currency) {
  let total = 0n;
  for (const item of items) {
    const amount = lineAmount(item.quantity, item.unit_price, currency);
    if (amount !== null) total += toMinorUnits(amount, currency);
  }
  return fromMinorUnits(total, currency);
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

export function subtractDecimal(a, b, currency) {
  return fromMinorUnits(toMinorUnits(a, currency) - toMinorUnits(b, currency), currency);
}

export function isPositive(value) {
  return isDecimal(value) && compareDecimal(value, '0') > 0;
}

/** "1250.5", "USD" -> "$1,250.50"; falls back to "1250.5 USD" if Intl does not know the code. */
export function formatMoney(amount, currency) {
  if (amount === null || amount === undefined || amount === '') return '—';
  const code = String(currency || '').toUpperCase();
  const exp = currencyExponent(code);
  const normalized = isDecimal(amount) ? fromMinorUnits(toMinorUnits(amount, code), code) : String(amount);
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
