import { formatMoney } from '../lib/money.js';

/** Totals as a definition list: [[label, amount, emphasis?], ...]. */
export default function AmountSummary({ rows, currency }) {
  return (
    <dl className="amounts">
      {rows
        .filter(([, amount]) => amount !== undefined && amount !== null)
        .map(([label, amount, strong]) => (
          <div key={label} className={`amounts-row ${strong ? 'amounts-strong' : ''}`}>
            <dt>{label}</dt>
            <dd>{formatMoney(amount, currency)}</dd>
          </div>
        ))}
    </dl>
  );
}
