/** "2026-03-01" as the period a person reads: "Mar 2026", "Week of Mar 2", "Mar 2". */
export function periodLabel(period, interval) {
  const [y, m, d] = period.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const format = (options) => new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', ...options }).format(date);
  if (interval === 'month') return format({ month: 'short', year: 'numeric' });
  if (interval === 'week') return `Week of ${format({ month: 'short', day: 'numeric' })}`;
  return format({ month: 'short', day: 'numeric' });
}
