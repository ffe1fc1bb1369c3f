import { formatMoney } from '../../lib/money.js';

/** Totals as a definition list: [[label, amount, emphasis?], ...], in `currency` with the API's `exponent`. */
export default function AmountSummary({ rows, currency, exponent }) {
  return (
    <dl className="amounts">
      {rows
        .filter(([, amount]) => amount !== undefined && amount !== null)
        .map(([label, amount, strong]) => (
          <div key={label} className={`amounts-row ${strong ? 'amounts-strong' : ''}`}>
            <dt>{label}</dt>
            <dd>{formatMoney(amount, currency, exponent)}</dd>
          </div>
        ))}
    </dl>
  );
}
