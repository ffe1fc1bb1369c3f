import { describe, expect, it } from 'vitest';
import { compareDecimal, formatMoney, lineAmount, subtractDecimal, sumLines, toMinorUnits } from '../money.js';

describe('money', () => {
  it('adds amounts exactly, without float drift', () => {
    const items = [
      { quantity: '1', unit_price: '0.10' },
      { quantity: '1', unit_price: '0.20' },
    ];
    expect(sumLines(items, 'USD')).toBe('0.30');
  });

  it('multiplies quantity by unit price and rounds half up to the currency', () => {
    expect(lineAmount('3', '19.99', 'USD')).toBe('59.97');
    expect(lineAmount('1.5', '0.333', 'USD')).toBe('0.50');
    expect(lineAmount('2', '1050', 'JPY')).toBe('2100');
    expect(lineAmount('1', '1.2345', 'KWD')).toBe('1.235');
    expect(lineAmount('', '5', 'USD')).toBeNull();
    expect(lineAmount('abc', '5', 'USD')).toBeNull();
  });

  it('ignores rows that are not filled in', () => {
    expect(sumLines([{ quantity: '2', unit_price: '' }, { quantity: '1', unit_price: '9.99' }], 'USD')).toBe('9.99');
  });

  it('compares and subtracts decimal strings', () => {
    expect(compareDecimal('10.00', '10')).toBe(0);
    expect(compareDecimal('10.01', '10')).toBe(1);
    expect(compareDecimal('9.999', '10')).toBe(-1);
    expect(subtractDecimal('100.00', '33.33', 'USD')).toBe('66.67');
    expect(toMinorUnits('12.345', 'USD')).toBe(1235n);
  });

  it('formats with the currency and its decimal places', () => {
    expect(formatMoney('1250.5', 'USD')).toMatch(/1,250\.50/);
    expect(formatMoney('1000', 'JPY')).toMatch(/1,000/);
    expect(formatMoney('1000', 'JPY')).not.toMatch(/\./);
    expect(formatMoney('1.5', 'KWD')).toMatch(/1\.500/);
    expect(formatMoney('12345678901234.99', 'USD')).toMatch(/12,345,678,901,234\.99/);
  });
});
