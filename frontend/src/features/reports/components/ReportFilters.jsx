import { paymentsCsvUrl } from '../api/reportService.js';

const INTERVALS = [
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
];

/** The range, currency and interval pickers, and the CSV of the same range. */
export default function ReportFilters({ filters, currencies, onChange }) {
  const set = (name) => (event) => onChange({ ...filters, [name]: event.target.value });
  return (
    <form className="card report-filters" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="report-from">From</label>
        <input id="report-from" type="date" value={filters.from || ''} max={filters.to || undefined} onChange={set('from')} />
      </div>
      <div className="field">
        <label htmlFor="report-to">To</label>
        <input id="report-to" type="date" value={filters.to || ''} min={filters.from || undefined} onChange={set('to')} />
      </div>
      {currencies.length > 1 && (
        <div className="field">
          <label htmlFor="report-currency">Currency</label>
          <select id="report-currency" value={filters.currency || ''} onChange={set('currency')}>
            {currencies.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="report-interval">Chart by</label>
        <select id="report-interval" value={filters.interval || 'month'} onChange={set('interval')}>
          {INTERVALS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <a className="btn" href={paymentsCsvUrl(filters)} download>
        Download CSV
      </a>
    </form>
  );
}
