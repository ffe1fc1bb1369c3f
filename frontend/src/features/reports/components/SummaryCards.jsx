import { formatMoney } from '../../../lib/money.js';

const CARDS = [
  ['collected', 'Collected', 'Payments received in the range'],
  ['refunded', 'Refunded', 'Given back in the range'],
  ['fees', 'Gateway fees', 'What the gateways took'],
  ['net', 'Net', 'Collected less refunds and fees'],
  ['invoiced', 'Invoiced', 'Invoices issued in the range'],
  ['outstanding', 'Outstanding', 'Owed to you today'],
  ['overdue', 'Overdue', 'Owed and past due today'],
];

/** The range's totals, one card each; notes where a figure leaves something out. */
export default function SummaryCards({ summary }) {
  const { currency } = summary;
  return (
    <>
      <ul className="report-cards" aria-label="Totals">
        {CARDS.map(([field, title, hint]) => (
          <li key={field} className={`card report-card report-card-${field}`}>
            <span className="report-card-title">{title}</span>
            <strong className="report-card-amount" data-testid={`summary-${field}`}>
              {formatMoney(summary[field], currency)}
            </strong>
            <span className="muted small">{hint}</span>
          </li>
        ))}
      </ul>
      {summary.fees_excluded > 0 && (
        <p className="muted small">
          {summary.fees_excluded === 1 ? '1 fee was' : `${summary.fees_excluded} fees were`} charged in another currency
          and {summary.fees_excluded === 1 ? 'is' : 'are'} not counted here (see the CSV).
        </p>
      )}
      {(summary.disputes_open > 0 || Number(summary.disputed) > 0) && (
        <p className="muted small">
          Disputes: {summary.disputes_open} open, {formatMoney(summary.disputed, currency)} lost in the range.
        </p>
      )}
    </>
  );
}
