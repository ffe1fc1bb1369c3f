import { Bar } from 'react-chartjs-2';
import { formatMoney } from '../../../lib/money.js';
import { COLORS, baseOptions, height } from './chartSetup.js';
import { periodLabel } from './periods.js';

/** Collected and refunded as bars per period, net as a line; tooltips show the exact amounts. */
export default function RevenueChart({ series, currency, interval }) {
  const labels = series.map((point) => periodLabel(point.period, interval));
  const exact = (field) => (context) => `${context.dataset.label}: ${formatMoney(series[context.dataIndex][field], currency)}`;
  const data = {
    labels,
    datasets: [
      { type: 'bar', label: 'Collected', data: series.map((p) => height(p.collected)), backgroundColor: COLORS.collected, field: 'collected' },
      { type: 'bar', label: 'Refunded', data: series.map((p) => height(p.refunded)), backgroundColor: COLORS.refunded, field: 'refunded' },
      { type: 'line', label: 'Net', data: series.map((p) => height(p.net)), borderColor: COLORS.net, backgroundColor: COLORS.net, field: 'net' },
    ],
  };
  const options = baseOptions((value) => formatMoney(String(value), currency, 0));
  options.plugins = {
    tooltip: { callbacks: { label: (context) => exact(context.dataset.field)(context) } },
  };
  return (
    <div className="report-chart" role="img" aria-label={`Collected, refunded and net per ${interval}`}>
      <Bar data={data} options={options} />
    </div>
  );
}
